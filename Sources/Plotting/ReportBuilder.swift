import Workbench
public enum ReportBuilder {
    public static var plplotVersion: String { "?" }
    public static func write(results: [CellResult], manifest: GridManifest, to directory: String) throws -> [String] { [] }
}
