package scaffold

// What the built-in actions take and give, for the installed actions page
// and `callboard scaffold actions`: the schemas follow Backstage's own
// action definitions, less what a local run has no use for.

// actionDoc is an action's description, schemas and examples.
type actionDoc struct {
	description, input, output string
	examples                   []string
}

// fillDoc fills what a built-in action leaves empty from builtinDocs.
func fillDoc(a *Action) {
	d, ok := builtinDocs[a.ID]
	if !ok {
		if a.InputSchema == "" {
			a.InputSchema = `{"type":"object"}`
		}
		return
	}
	if a.Description == "" {
		a.Description = d.description
	}
	if a.InputSchema == "" {
		a.InputSchema = d.input
	}
	if a.OutputSchema == "" {
		a.OutputSchema = d.output
	}
	if len(a.Examples) == 0 {
		a.Examples = d.examples
	}
}

const (
	fetchTemplateInput = `{"type":"object","required":["url"],"properties":{
"url":{"type":"string","title":"Fetch URL","description":"Relative path or absolute URL of the folder of templates to fetch"},
"targetPath":{"type":"string","title":"Target path","description":"Where in the workspace to put the files; defaults to the workspace's top"},
"values":{"type":"object","title":"Template values","description":"Values the skeleton's files read as ${{ values.x }}"},
"copyWithoutTemplating":{"type":"array","items":{"type":"string"},"title":"Copy without templating","description":"Globs of files and folders to copy as they are"},
"copyWithoutRender":{"type":"array","items":{"type":"string"},"title":"[Deprecated] Copy without render","description":"The older name of copyWithoutTemplating"},
"cookiecutterCompat":{"type":"boolean","title":"Cookiecutter compatibility","description":"Render {{ cookiecutter.x }} skeletons, with Jinja's jsonify filter"},
"templateFileExtension":{"type":["string","boolean"],"title":"Template file extension","description":"Only files with this extension (true: .njk) are templated, and lose it"},
"replace":{"type":"boolean","title":"Replace files","description":"Replace files that are in the workspace already"},
"trimBlocks":{"type":"boolean","title":"Trim blocks","description":"Drop the first newline after a block tag"},
"lstripBlocks":{"type":"boolean","title":"Lstrip blocks","description":"Strip the white space before a block tag that starts its line"}}}`
	fetchFileInput = `{"type":"object","required":["url","targetPath"],"properties":{
"url":{"type":"string","title":"Fetch URL","description":"Relative path or absolute URL of the file to fetch"},
"targetPath":{"type":"string","title":"Target path","description":"The file's path in the workspace"},
"values":{"type":"object","title":"Template values","description":"Values the file reads as ${{ values.x }}"},
"cookiecutterCompat":{"type":"boolean","title":"Cookiecutter compatibility"},
"replace":{"type":"boolean","title":"Replace the file","description":"Replace the file when it is in the workspace already"},
"trimBlocks":{"type":"boolean"},"lstripBlocks":{"type":"boolean"}}}`
	fetchPlainInput = `{"type":"object","required":["url"],"properties":{
"url":{"type":"string","title":"Fetch URL","description":"Relative path or absolute URL of the folder to fetch"},
"targetPath":{"type":"string","title":"Target path","description":"Where in the workspace to put the files; defaults to the workspace's top"}}}`
	fetchPlainFileInput = `{"type":"object","required":["url","targetPath"],"properties":{
"url":{"type":"string","title":"Fetch URL","description":"Relative path or absolute URL of the file to fetch"},
"targetPath":{"type":"string","title":"Target path","description":"The file's path in the workspace"}}}`
	fetchCookiecutterInput = `{"type":"object","required":["url"],"properties":{
"url":{"type":"string","title":"Fetch URL","description":"Relative path or absolute URL of the cookiecutter skeleton"},
"targetPath":{"type":"string","title":"Target path"},
"values":{"type":"object","title":"Template values","description":"Values the skeleton reads as {{ cookiecutter.x }}"},
"copyWithoutRender":{"type":"array","items":{"type":"string"},"title":"Copy without render"}}}`

	publishSchema = `{"type":"object","required":["repoUrl"],"properties":{
"repoUrl":{"type":"string","title":"Repository location","description":"The repository to publish to, as RepoUrlPicker gives it: host?owner=…&repo=…"},
"description":{"type":"string","title":"Repository description"},
"defaultBranch":{"type":"string","title":"Default branch","description":"The branch of the first commit; main when not given"},
"sourcePath":{"type":"string","title":"Source path","description":"The workspace's folder to publish; the workspace's top when not given"},
"gitCommitMessage":{"type":"string","title":"Commit message","description":"initial commit when not given"},
"gitAuthorName":{"type":"string","title":"Author name"},
"gitAuthorEmail":{"type":"string","title":"Author e-mail"},
"repoVisibility":{"type":"string","enum":["private","internal","public"],"title":"Repository visibility","description":"Used when the repository is created on its host"}}}`
	publishOutSchema = `{"type":"object","properties":{
"remoteUrl":{"type":"string","title":"The repository's web address"},
"repoContentsUrl":{"type":"string","title":"The address of the repository's files at the branch"},
"commitHash":{"type":"string","title":"The first commit"}}}`
	changeInput = `{"type":"object","required":["repoUrl","branchName","title"],"properties":{
"repoUrl":{"type":"string","title":"Repository location"},
"branchName":{"type":"string","title":"Branch name","description":"The new branch the change is committed on"},
"title":{"type":"string","title":"Title of the request"},
"description":{"type":"string","title":"Description of the request"},
"targetBranchName":{"type":"string","title":"Target branch","description":"The branch the request goes into; main when not given"},
"sourcePath":{"type":"string","title":"Source path","description":"The workspace's folder that holds the change"},
"targetPath":{"type":"string","title":"Target path","description":"Where in the repository the files go"}}}`
	changeOutput = `{"type":"object","properties":{
"remoteUrl":{"type":"string","title":"The repository's web address"},
"targetBranchName":{"type":"string","title":"The branch the request goes into"}}}`
)

// publishDoc and changeDoc are shared by the publish:* actions of each forge.
func publishDoc(forge string) actionDoc {
	return actionDoc{
		description: "Makes the workspace (or sourcePath) a git repository with one commit and records " + forge + " as its remote; the first push happens when the run ends, or at a later sync when the host cannot be reached.",
		input:       publishSchema, output: publishOutSchema,
	}
}

func changeDoc(request string) actionDoc {
	return actionDoc{
		description: "Commits the workspace's files on a new branch of a clone of the repository, for a " + request + " into the target branch.",
		input:       changeInput, output: changeOutput,
	}
}

var builtinDocs = map[string]actionDoc{
	"fetch:template": {
		description: "Copies a folder of skeleton files into the workspace, rendering their names and contents with ${{ values.x }}.",
		input:       fetchTemplateInput,
		examples: []string{`- id: fetch-base
  name: Fetch Base
  action: fetch:template
  input:
    url: ./skeleton
    values:
      name: ${{ parameters.name }}
      owner: ${{ parameters.owner }}`},
	},
	"fetch:template:file": {description: "Copies one skeleton file into the workspace, rendered with ${{ values.x }}.", input: fetchFileInput},
	"fetch:cookiecutter": {
		description: "Copies a cookiecutter skeleton into the workspace, rendering {{ cookiecutter.x }} with the same engine: no Python or Docker is needed.",
		input:       fetchCookiecutterInput,
	},
	"fetch:plain": {
		description: "Copies a folder into the workspace as it is.",
		input:       fetchPlainInput,
		examples: []string{`- id: fetch-docs
  name: Fetch docs
  action: fetch:plain
  input:
    url: ./docs-skeleton
    targetPath: docs`},
	},
	"fetch:plain:file": {description: "Copies one file into the workspace as it is.", input: fetchPlainFileInput},
	"fs:rename": {
		description: "Renames files and folders of the workspace.",
		input: `{"type":"object","required":["files"],"properties":{"files":{"type":"array","title":"Files","items":{"type":"object","required":["from","to"],"properties":{
"from":{"type":"string","title":"The path to rename"},"to":{"type":"string","title":"The new path"},"overwrite":{"type":"boolean","title":"Overwrite what is at the new path"}}}}}}`,
		examples: []string{`- id: rename
  name: Rename the service file
  action: fs:rename
  input:
    files:
      - from: service.yaml
        to: ${{ parameters.name }}.yaml`},
	},
	"fs:delete": {
		description: "Deletes files and folders of the workspace matching globs.",
		input:       `{"type":"object","required":["files"],"properties":{"files":{"type":"array","title":"Files","description":"Globs of the paths to delete","items":{"type":"string"}}}}`,
	},
	"fs:readdir": {
		description: "Lists folders of the workspace.",
		input: `{"type":"object","required":["paths"],"properties":{"paths":{"type":"array","title":"Paths","items":{"type":"string"}},
"recursive":{"type":"boolean","title":"List their subfolders too"}}}`,
		output: `{"type":"object","properties":{"files":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"path":{"type":"string"},"fullPath":{"type":"string"}}}},
"folders":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"path":{"type":"string"},"fullPath":{"type":"string"}}}}}}`,
	},
	"debug:log": {
		description: "Writes a message, a value or the workspace's files to the step's log.",
		input: `{"type":"object","properties":{"message":{"type":"string","title":"Message to output"},
"extra":{"title":"Any value to output as JSON"},
"listWorkspace":{"type":["boolean","string"],"enum":[true,false,"with-filenames","with-contents"],"title":"List the workspace's files (with-contents: and their contents)"}}}`,
		examples: []string{`- id: log
  name: Log the name
  action: debug:log
  input:
    message: 'Creating ${{ parameters.name }}'
    listWorkspace: true`},
	},
	"debug:wait": {
		description: "Waits for a while, at most 10 minutes.",
		input:       `{"type":"object","properties":{"minutes":{"type":"number"},"seconds":{"type":"number"},"milliseconds":{"type":"number"}}}`,
	},
	"catalog:fetch": {
		description: "Reads entities from the local catalog by ref.",
		input: `{"type":"object","properties":{"entityRef":{"type":"string","title":"Entity reference"},
"entityRefs":{"type":"array","items":{"type":"string"},"title":"Entity references"},
"optional":{"type":"boolean","title":"Go on when an entity is missing"},
"defaultKind":{"type":"string"},"defaultNamespace":{"type":"string"}}}`,
		output: `{"type":"object","properties":{"entity":{"type":"object","title":"The entity entityRef names"},"entities":{"type":"array","items":{"type":"object"},"title":"The entities entityRefs name"}}}`,
		examples: []string{`- id: owner
  name: Read the owner
  action: catalog:fetch
  input:
    entityRef: ${{ parameters.owner }}`},
	},
	"catalog:write": {
		description: "Writes an entity as YAML into the workspace (catalog-info.yaml unless told).",
		input: `{"type":"object","required":["entity"],"properties":{"filePath":{"type":"string","title":"The file's path in the workspace"},
"entity":{"type":"object","title":"The entity to write"}}}`,
	},
	"catalog:register": {
		description: "Registers the project's catalog file as a location of this Callboard once the run ends.",
		input: `{"type":"object","properties":{"repoContentsUrl":{"type":"string","title":"The published repository's files, as publish:* outputs repoContentsUrl"},
"catalogInfoPath":{"type":"string","title":"The catalog file's path in it","description":"/catalog-info.yaml when not given"},
"catalogInfoUrl":{"type":"string","title":"The catalog file's URL, instead of the two above"},
"optional":{"type":"boolean","title":"Go on when it cannot be registered"}}}`,
		output: `{"type":"object","properties":{"entityRef":{"type":"string"},"catalogInfoUrl":{"type":"string"}}}`,
		examples: []string{`- id: register
  name: Register
  action: catalog:register
  input:
    repoContentsUrl: ${{ steps['publish'].output.repoContentsUrl }}
    catalogInfoPath: /catalog-info.yaml`},
	},
	"publish:github": func() actionDoc {
		d := publishDoc("GitHub")
		d.examples = []string{`- id: publish
  name: Publish
  action: publish:github
  input:
    repoUrl: ${{ parameters.repoUrl }}
    description: This is ${{ parameters.name }}
    defaultBranch: main`}
		return d
	}(),
	"publish:gitlab":                       publishDoc("GitLab"),
	"publish:bitbucket":                    publishDoc("Bitbucket"),
	"publish:bitbucketCloud":               publishDoc("Bitbucket Cloud"),
	"publish:bitbucketServer":              publishDoc("Bitbucket Server"),
	"publish:azure":                        publishDoc("Azure DevOps"),
	"publish:gerrit":                       publishDoc("Gerrit"),
	"publish:gitea":                        publishDoc("Gitea"),
	"publish:github:pull-request":          changeDoc("GitHub pull request"),
	"publish:gitlab:merge-request":         changeDoc("GitLab merge request"),
	"publish:bitbucketServer:pull-request": changeDoc("Bitbucket Server pull request"),
	"publish:azure:pull-request":           changeDoc("Azure DevOps pull request"),
}
