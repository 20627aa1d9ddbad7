package imaging

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// FramesAt reads the cine to its end and returns, for every requested time
// (seconds on the cine's own clock, Frame.Time), the frame whose time is
// nearest (the earlier on a tie). Only the chosen frames are kept in memory;
// the cine is streamed. Times need not be sorted; a time before the first
// frame or after the last gets the first or last frame.
func FramesAt(c Cine, times []float64) ([]Frame, error) {
	if len(times) == 0 {
		return nil, fmt.Errorf("imaging: FramesAt %s: no times requested", c.Info().Path)
	}
	for i, t := range times {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("imaging: FramesAt %s: time %d is %v", c.Info().Path, i, t)
		}
	}
	best := make([]Frame, len(times))
	dist := make([]float64, len(times))
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	n := 0
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		n++
		for i, t := range times {
			if d := math.Abs(f.Time - t); d < dist[i] {
				dist[i], best[i] = d, f
			}
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("imaging: FramesAt %s: the cine has no frames", c.Info().Path)
	}
	return best, nil
}
