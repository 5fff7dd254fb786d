import ArgumentParser
import Workbench

// Choices given on the command line as their raw values; `--help` lists the accepted ones and
// any other value is a usage error naming them.

extension MinibatchScheme: ExpressibleByArgument {}
extension StartPoint: ExpressibleByArgument {}
