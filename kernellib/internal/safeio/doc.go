// Package safeio is how ceusrad touches the file system, so that no run loses,
// mixes or hangs on a file:
//
//   - [OpenRegular] opens an input only when it is a regular file (a symlink to one
//     is fine): a FIFO, device or socket named as an input is refused by name instead
//     of blocking the run in open(2);
//   - [Create] and [WriteFile] write an output to a temporary file in the same folder,
//     fsync it and rename it into place (then fsync the folder), so a failure — a full
//     disk, a crash, an error half-way — leaves the previous file whole and never a
//     half-written one (rename(2) is atomic within a file system, POSIX.1-2017);
//   - [CheckOutputs] refuses an output path that names one of the run's inputs (the
//     same file by device and inode, or the same cleaned absolute path);
//   - [LockDir] takes an exclusive flock(2) on a lock file in an output folder, so two
//     runs into one folder cannot mix their files: the second fails at once and names
//     the PID of the first;
//   - [CheckFreeSpace] compares the bytes a run will write with the free space of the
//     output's file system (statfs(2)) before it starts.
package safeio
