//go:build unix

package cohort

import (
	"io/fs"
	"syscall"
)

// identity is the part of a file's status that tells its versions apart:
// size, modification and status-change times (POSIX stat: st_mtim,
// st_ctim), inode and device.
func identity(st fs.FileInfo) hashEntry {
	e := hashEntry{Size: st.Size(), MtimeNs: st.ModTime().UnixNano()}
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		e.Inode, e.Dev = uint64(s.Ino), uint64(s.Dev)
		e.CtimeNs = ctimeNs(s)
	}
	return e
}
