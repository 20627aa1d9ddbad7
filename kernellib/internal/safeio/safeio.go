package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Kind names a file mode that is not a regular file, for an error message
// ("a named pipe (FIFO)", "a socket", "a character device", ...).
func Kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m.IsDir():
		return "a folder"
	}
	return "not a regular file"
}

// ErrNotRegular is wrapped by the errors of OpenRegular and CheckRegular for a path
// that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// CheckRegular returns an error naming path unless it is a regular file, following
// symlinks. It does not open the file.
func CheckRegular(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is %s, want a regular file: %w", path, Kind(st.Mode()), ErrNotRegular)
	}
	return nil
}

// OpenRegular opens path for reading when it is a regular file (symlinks followed)
// and refuses anything else by name. The file is opened with O_NONBLOCK and checked
// with fstat before the flag is cleared, so a FIFO put in place between a stat and
// the open cannot block the caller either.
func OpenRegular(path string) (*os.File, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		m := fs.FileMode(0)
		switch st.Mode & syscall.S_IFMT {
		case syscall.S_IFIFO:
			m = fs.ModeNamedPipe
		case syscall.S_IFSOCK:
			m = fs.ModeSocket
		case syscall.S_IFCHR:
			m = fs.ModeDevice | fs.ModeCharDevice
		case syscall.S_IFBLK:
			m = fs.ModeDevice
		case syscall.S_IFDIR:
			m = fs.ModeDir
		}
		return nil, fmt.Errorf("%s is %s, want a regular file: %w", path, Kind(m), ErrNotRegular)
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// ReadFile reads a regular file whole, refusing a file larger than limit bytes
// (limit ≤ 0: no limit) before reading it.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if limit > 0 && st.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than the limit of %d", path, st.Size(), limit)
	}
	return io.ReadAll(f)
}

// File is an output being written: bytes go to a temporary file beside the target,
// which Commit renames into place. Abort (or a failed Commit) removes the temporary
// file and leaves the target as it was. Use:
//
//	f, err := safeio.Create(path)
//	if err != nil { return err }
//	defer f.Abort()
//	... write to f ...
//	return f.Commit()
type File struct {
	*os.File
	target string
	done   bool
}

// Create starts writing the file path (mode 0644): the bytes go to a temporary file
// in path's folder until Commit.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return nil, fmt.Errorf("create %q: no file name", path)
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("create %s: it is %s, want a regular file or a new path: %w", path, Kind(st.Mode()), ErrNotRegular)
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f, target: path}, nil
}

// Commit flushes the file to disk (fsync), closes it and renames it onto the target,
// then fsyncs the folder so the rename itself survives a crash.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("commit %s: already committed or aborted", f.target)
	}
	f.done = true
	tmp := f.File.Name()
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", f.target, err)
	}
	if err := f.File.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", f.target, err)
	}
	if err := os.Rename(tmp, f.target); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", f.target, err)
	}
	syncDir(filepath.Dir(f.target))
	return nil
}

// Abort discards what was written; the target is left as it was. It does nothing
// after Commit, so it can be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// Target is the path the file is renamed to on Commit.
func (f *File) Target() string { return f.target }

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: some file systems refuse fsync on a folder
		d.Close()
	}
}

// WriteFile writes data to path atomically (see Create).
func WriteFile(path string, data []byte) error {
	return WriteWith(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteWith writes path atomically with write; an error from write leaves the
// previous file whole.
func WriteWith(path string, write func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := write(f); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}

// same reports whether a and b name the same file: the same device and inode when
// both exist, else the same cleaned absolute path (symlinks in the folders resolved).
func same(a, b string) bool {
	sa, ea := os.Stat(a)
	sb, eb := os.Stat(b)
	if ea == nil && eb == nil {
		return os.SameFile(sa, sb)
	}
	return canonical(a) == canonical(b)
}

func canonical(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(d, filepath.Base(abs))
	}
	return abs
}

// within reports whether p lies in (or is) the folder dir.
func within(p, dir string) bool {
	cp, cd := canonical(p), canonical(dir)
	if cp == cd {
		return true
	}
	rel, err := filepath.Rel(cd, cp)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// CheckOutputs returns an error when an output path names one of the inputs: the
// same file, an input folder itself (a frame folder, a cohort folder), or an existing
// file inside an input folder (e.g. a cine frame). Empty paths are ignored.
func CheckOutputs(outputs, inputs []string) error {
	for _, o := range outputs {
		if o == "" {
			continue
		}
		for _, in := range inputs {
			if in == "" {
				continue
			}
			if same(o, in) {
				return fmt.Errorf("output %s is an input of this run (%s); choose another output path", o, in)
			}
			if st, err := os.Stat(in); err == nil && st.IsDir() && within(o, in) {
				if ost, err := os.Stat(o); err == nil && !ost.IsDir() {
					return fmt.Errorf("output %s lies inside the input folder %s and already exists; choose another output path", o, in)
				}
			}
		}
	}
	return nil
}

// Lock is an exclusive lock on an output folder; Unlock releases it.
type Lock struct {
	f    *os.File
	path string
}

// LockName is the lock file LockDir creates in the folder.
const LockName = ".ceusrad.lock"

// LockDir takes an exclusive, non-blocking flock(2) on DIR/.ceusrad.lock (creating
// the folder and the file) and writes the caller's PID into it. A second run on the
// same folder fails at once with an error that names the PID holding the lock. The
// lock is released by Unlock or when the process ends, even by a crash.
func LockDir(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := io.ReadAll(io.LimitReader(f, 32))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := strings.TrimSpace(string(b))
			if _, perr := strconv.Atoi(holder); perr != nil || holder == "" {
				holder = "another process"
			} else {
				holder = "process " + holder
			}
			return nil, &inUseError{fmt.Sprintf("output folder %s is in use by %s (lock %s); wait for it to finish or choose another folder", dir, holder, path)}
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f, path: path}, nil
}

// ErrInUse matches (errors.Is) LockDir's error when another process holds
// the folder's lock.
var ErrInUse = errors.New("output folder in use")

type inUseError struct{ msg string }

func (e *inUseError) Error() string        { return e.msg }
func (e *inUseError) Is(target error) bool { return target == ErrInUse }

// Unlock releases the lock and removes the lock file.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	os.Remove(l.path)
	err := l.f.Close() // closing the descriptor releases the flock
	l.f = nil
	return err
}

// FreeSpace returns the bytes available to an unprivileged user on the file system
// that holds path (or its nearest existing parent folder).
func FreeSpace(path string) (uint64, error) {
	p := path
	for {
		if _, err := os.Stat(p); err == nil {
			break
		}
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	var s syscall.Statfs_t
	if err := syscall.Statfs(p, &s); err != nil {
		return 0, &fs.PathError{Op: "statfs", Path: p, Err: err}
	}
	return s.Bavail * uint64(s.Bsize), nil
}

// CheckFreeSpace returns an error when the file system of dir has fewer than need
// bytes free (plus a 1 % or 64 MiB margin, whichever is larger).
func CheckFreeSpace(dir string, need uint64) error {
	free, err := FreeSpace(dir)
	if err != nil {
		return err
	}
	margin := need / 100
	if margin < 64<<20 {
		margin = 64 << 20
	}
	if need+margin > free {
		return fmt.Errorf("%s: this run writes about %s but only %s are free; free some space or choose a smaller run", dir, Bytes(need), Bytes(free))
	}
	return nil
}

// Bytes formats n bytes for a message (e.g. "4.2 GB").
func Bytes(n uint64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
