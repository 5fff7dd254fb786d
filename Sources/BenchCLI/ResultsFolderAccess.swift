import Foundation
import Workbench

/// How the commands that write into a results folder (`grid`, `merge`, `baseline`,
/// `report`) take it: created if missing, then locked (`FolderLock`) for the rest of the
/// command, saying so on standard error when the lock of a killed run is taken over.
enum ResultsFolderAccess {
    static func lock(_ folder: String) throws -> FolderLock {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WorkbenchError.file(path: folder, problem: "cannot create the output folder (\(error.localizedDescription))")
        }
        let lock = try FolderLock(folder: folder)
        if let pid = lock.takenOverFrom {
            printError("bench: \(folder) was locked by pid \(pid), which is gone (killed?); taking the lock over")
        }
        return lock
    }
}
