// `bench-baoab`: the workbench's command line with `baoab` registered beside the
// built-ins; every command (list, run, grid, report, …) sees it. A duplicate id stops it at
// start-up with a message naming both plugins.
import BenchCLI
import Plugins
import Workbench
import BAOAB

BenchCLI.main(registry: try Registry.builtin + [BAOAB.plugin])
