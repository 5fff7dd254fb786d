// The workbench's own `bench`: the command line with the built-in plugins. An out-of-tree
// plugin's executable is this line with its plugins added (plugins/README.md).
import BenchCLI
import Plugins
import Workbench

BenchCLI.main(registry: Registry.builtin)
