// Command cinemem measures the memory needed to stream a long DICOM cine with
// imaging.OpenCine. It writes a synthetic cine (imaging.WriteDICOMCineFunc, one frame
// in memory at a time) and reads it back frame by frame:
//
//	go build -o /tmp/cinemem ./kernellib/imaging/internal/cinemem
//	/tmp/cinemem -write /tmp/long.dcm -frames 2700 -width 800 -height 600
//	/usr/bin/time -v /tmp/cinemem -read /tmp/long.dcm     # "Maximum resident set size"
//
// The read pass prints the number of frames, the mean pixel value and the Go heap
// statistics at the end.
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"log"
	"os"
	"runtime"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

func main() {
	write := flag.String("write", "", "write a synthetic cine to this file")
	read := flag.String("read", "", "read this cine frame by frame")
	frames := flag.Int("frames", 2700, "frames to write")
	width := flag.Int("width", 800, "frame width")
	height := flag.Int("height", 600, "frame height")
	flag.Parse()
	log.SetFlags(0)
	switch {
	case *write != "":
		times := make([]float64, *frames)
		for i := range times {
			times[i] = float64(i) / 15 // 15 frames/s: 2700 frames = 3 minutes
		}
		m := image.NewGray(image.Rect(0, 0, *width, *height))
		start := time.Now()
		err := imaging.WriteDICOMCineFunc(*write, *width, *height, *frames, func(i int) (*image.Gray, error) {
			for k := range m.Pix {
				m.Pix[k] = uint8(k + 3*i)
			}
			return m, nil
		}, imaging.CineMeta{PatientID: "LONG", FrameTimes: times, PixelSpacingMM: 0.2, Description: "long cine"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wrote %d frames of %d×%d in %.1f s\n", *frames, *width, *height, time.Since(start).Seconds())
	case *read != "":
		start := time.Now()
		c, err := imaging.OpenCine(*read, imaging.CineOptions{})
		if err != nil {
			log.Fatal(err)
		}
		var sum float64
		n := 0
		for {
			f, err := c.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				log.Fatal(err)
			}
			for _, v := range f.Img.(*image.Gray).Pix {
				sum += float64(v)
			}
			n++
		}
		c.Close()
		info := c.Info()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("read %d frames of %d×%d in %.1f s, mean %.3f; Go heap: %d MiB total allocated, %d MiB obtained from the OS\n",
			n, info.Width, info.Height, time.Since(start).Seconds(), sum/float64(n*info.Width*info.Height), ms.TotalAlloc>>20, ms.Sys>>20)
	default:
		flag.Usage()
		os.Exit(2)
	}
}
