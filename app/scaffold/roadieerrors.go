//lint:file-ignore ST1005 Roadie's error messages, kept word for word as templates' authors know them

package scaffold

import (
	"errors"
	"fmt"
)

// The errors of Roadie's actions, with the npm package's own words.
var (
	// errOutsideWorkspace is Backstage's resolveSafeChildPath's refusal.
	errOutsideWorkspace = errors.New("Relative path is not allowed to refer to a directory outside its parent")
	errNoFile           = errors.New("Path to file needs to be defined")
	errNoDocuments      = errors.New("No documents found in the input content. Please provide a valid YAML file.")
	// errJSONataNaN is jsonata-js's D3001.
	errJSONataNaN    = errors.New("Attempting to invoke string function on Infinity or NaN")
	errManyDocuments = errors.New("Multiple documents found in the input content. Please provide a key and value to use to find the document to merge into.")
)

func errBadRegexp(find string, err error) error {
	return fmt.Errorf("Invalid regular expression: /%s/g: %w", find, err)
}

func errNothingToZip(p string) error {
	return fmt.Errorf("File %s does not exist. Can't zip it.", p)
}

func errNoMergeFile(abs string) error { return fmt.Errorf("The file %s does not exist.", abs) }

func errIncludingField(key string) error {
	return fmt.Errorf(`The value at "%s" defined in useDocumentIncludingField must be a string or a number.`, key)
}
