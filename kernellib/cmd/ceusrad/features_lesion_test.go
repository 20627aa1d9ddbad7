package main

import (
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// A lesion-level feature table is written with patient_id and lesion_id,
// its rows matched by both.
func TestWriteFeatureCSVLesions(t *testing.T) {
	c := &cohort.Cohort{Patients: []cohort.Patient{
		{ID: "P1/L1", PatientID: "P1", LesionID: "L1", Split: "train", Response: "OR", Line: 2},
		{ID: "P1/L2", PatientID: "P1", LesionID: "L2", Split: "train", Response: "NR", Line: 3},
		{ID: "P2/1", PatientID: "P2", LesionID: "1", Split: "validation", Response: "NR", Line: 4},
	}}
	df := dataframe.New(append(cohort.KeyColumns([]cohort.Patient{c.Patients[2], c.Patients[1], c.Patients[0]}),
		series.New([]float64{3, 2, 1}, series.Float, "f"))...)
	var b strings.Builder
	if err := writeFeatureCSV(&b, c, df); err != nil {
		t.Fatal(err)
	}
	want := "patient_id,lesion_id,split,response,f\nP1,L1,train,OR,1\nP1,L2,train,NR,2\nP2,1,validation,NR,3\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
