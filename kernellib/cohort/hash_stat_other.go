//go:build !unix

package cohort

import "io/fs"

// identity is size and modification time where there is no POSIX stat.
func identity(st fs.FileInfo) hashEntry {
	return hashEntry{Size: st.Size(), MtimeNs: st.ModTime().UnixNano()}
}
