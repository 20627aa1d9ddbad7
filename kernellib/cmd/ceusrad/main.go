// Command ceusrad runs ceusrad's analyses from the command line.
//
// Usage:
//
//	ceusrad <command> [flags]
//	ceusrad help <command>
//
// Each command lives in a file of its own and registers itself with
// register; `ceusrad help` lists them. Exit status: 0 on success, 1 when the
// input is invalid or the analysis fails (the message on stderr says what is
// wrong and where), 2 for a usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// command is one subcommand of ceusrad.
type command struct {
	name    string
	summary string // one line for the command list
	// run executes the command with the arguments that follow its name
	// and returns the exit status.
	run func(args []string, stdout, stderr io.Writer) int
}

// commands holds the registered subcommands by name.
var commands = map[string]command{}

// register adds a subcommand; each subcommand file calls it from init.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("ceusrad: command " + c.name + " registered twice")
	}
	commands[c.name] = c
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // invalid input or failed analysis
	exitUsage = 2 // bad command line
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches args (without the program name) to a subcommand and
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "ceusrad: unknown command %q\n", args[1])
				usage(stderr)
				return exitUsage
			}
			return c.run([]string{"-h"}, stdout, stderr)
		}
		usage(stdout)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "ceusrad: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

// usage lists the commands.
func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	width := 0
	for n := range commands {
		names = append(names, n)
		width = max(width, len(n))
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("Usage: ceusrad <command> [flags]\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	b.WriteString("\nRun 'ceusrad help <command>' for the flags of a command.\n")
	io.WriteString(w, b.String())
}

// parseFlags parses a subcommand's flags. With -h it prints the
// subcommand's usage text and its flags' defaults to stdout and returns
// (exitOK, true); on a bad flag, which the flag package has reported on the
// flag set's output, it adds where to look and returns (exitUsage, true).
// Otherwise done is false and the subcommand goes on.
func parseFlags(fs *flag.FlagSet, args []string, usage string, stdout io.Writer) (code int, done bool) {
	err := fs.Parse(args)
	if err == nil {
		return exitOK, false
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return exitOK, true
	}
	fmt.Fprintf(fs.Output(), "see 'ceusrad help %s'\n", fs.Name())
	return exitUsage, true
}
