import Foundation
import Workbench

/// How the commands that write into a results folder (`grid`, `merge`, `baseline`,
/// `report`) open it (`ResultsFolder(writing:)`: created, locked, cleared of a killed run's
/// temporaries), saying on standard error when they took over the lock of a killed run or
/// removed what it left.
enum ResultsFolderAccess {
    static func open(_ folder: String) throws -> ResultsFolder {
        let opened = try ResultsFolder(writing: folder)
        if let pid = opened.takenOverFrom {
            printError("bench: \(folder) was locked by pid \(pid), which is gone (killed?); taking the lock over")
        }
        for path in opened.staleRemoved {
            printError("bench: removed \(path), left by a bench that was killed while writing")
        }
        return opened
    }
}
