package nb_test

import (
	"fmt"
	"os"

	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/go-gota/gota/dataframe"
)

// A DataFrame shown as a table; outside a notebook it is plain text.
func ExampleTableText() {
	df := dataframe.LoadRecords([][]string{
		{"model", "auc", "n"},
		{"R-DLCEUS", "0.9312", "41"},
		{"R-TIC", "0.8", "41"},
	})
	s, err := nb.TableText(df, nb.TableOptions{Caption: "Validation AUC", Digits: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(s)
	// Output:
	// Validation AUC
	// model      auc   n
	// R-DLCEUS  0.93  41
	// R-TIC      0.8  41
}

// A progress bar on a terminal; in a notebook the same calls update an HTML
// bar in place.
func ExampleNewProgress() {
	nb.SetDisplay(nb.NewTextDisplay(os.Stdout))
	p := nb.NewProgress("patients", 3)
	for i := 0; i < 3; i++ {
		p.Add(1)
	}
	p.Done()
}
