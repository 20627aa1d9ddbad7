package cohort

import "syscall"

// ctimeNs is st_ctim in nanoseconds.
func ctimeNs(s *syscall.Stat_t) int64 { return s.Ctim.Nano() }
