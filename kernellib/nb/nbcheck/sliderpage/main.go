// Command sliderpage writes the files of the browser check of nb.Slider's
// output (scripts/livecheck/slider.js) into a folder:
//
//   - page.html, a page holding the same slider output twice (a notebook
//     shown twice, or two identical cells, gives two elements with one id)
//     and nothing else: the output as a browser meets it in Jupyter or in an
//     HTML export, opened with file://, no server;
//   - slider.ipynb, a notebook whose one output is that slider, not signed
//     (untrusted when Jupyter opens it; nbconvert --to html exports it).
//
// Every view is a paragraph "value=N" and a small PNG of its own colour.
//
// Usage: go run ./kernellib/nb/nbcheck/sliderpage DIR
package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/nb"
)

// Max and Value are the slider's last and first positions.
const (
	Max   = 10
	Value = 3
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sliderpage DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "sliderpage:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	var pos []int
	var views []string
	for v := 0; v <= Max; v++ {
		img := image.NewRGBA(image.Rect(0, 0, 40, 20))
		for i := range img.Pix {
			img.Pix[i] = []uint8{uint8(20 * v), 100, 200, 255}[i%4]
		}
		img.Set(0, 0, color.Black)
		h, err := nb.ImageHTML(img)
		if err != nil {
			return err
		}
		pos = append(pos, v)
		views = append(views, nb.Row(fmt.Sprintf(`<p class="val">value=%d</p>`, v), h))
	}
	out, err := nb.SliderHTML(nb.SliderOptions{Label: "test", Max: Max, Value: Value}, pos, views)
	if err != nil {
		return err
	}
	page := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>nb.Slider</title></head><body>\n" +
		`<div id="first">` + out + "</div>\n" + `<div id="second">` + out + "</div>\n</body></html>\n"
	if err := writeFile(filepath.Join(dir, "page.html"), []byte(page)); err != nil {
		return err
	}
	notebook := map[string]any{
		"cells": []any{map[string]any{
			"cell_type": "code", "execution_count": 1, "id": "slider", "metadata": map[string]any{},
			"source": []string{"nb.Slider(...)"},
			"outputs": []any{map[string]any{"output_type": "display_data", "metadata": map[string]any{},
				"data": map[string]any{"text/html": []string{out}}}},
		}},
		"metadata": map[string]any{"kernelspec": map[string]any{"display_name": "Go (gonb)", "language": "go", "name": "gonb"}},
		"nbformat": 4, "nbformat_minor": 5,
	}
	b, err := json.MarshalIndent(notebook, "", " ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "slider.ipynb"), b)
}

func writeFile(path string, b []byte) error {
	f, err := safeio.Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(b); err != nil {
		return err
	}
	return f.Commit()
}
