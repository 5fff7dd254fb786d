/// Errors thrown by ``PlotRenderer``.
///
/// Every case carries enough context (device name, path, page stem) for its
/// ``description`` to be shown to a user as is. Nothing is ever drawn or written
/// when a check fails: all checks run before PLplot is initialised.
public enum PlottingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// PLplot does not list the output device (`pdfcairo` or `pngcairo`); on Debian the
    /// device lives in the separate package `plplot-driver-cairo`.
    case missingDriver(device: String)
    /// The output file (or the directory meant to hold it) cannot be created or written.
    /// `path` is the offending path, `reason` says why.
    case cannotWriteOutput(path: String, reason: String)
    /// `render…` was called with no pages.
    case emptyPageList
    /// A page cannot be rendered as given, e.g. more panels than grid cells, or a PNG
    /// file stem that is empty, contains `/`, or is used by two pages.
    case invalidPage(stem: String, reason: String)
    /// PLplot refused an operation that the checks above did not foresee
    /// (e.g. no free PLplot stream).
    case plplot(String)

    /// A one-sentence explanation naming the device, path or page concerned.
    public var description: String {
        switch self {
        case .missingDriver(let device):
            return "PLplot output device '\(device)' is not available: the PLplot cairo driver is missing. "
                + "Install Debian's package 'plplot-driver-cairo' (apt-get install plplot-driver-cairo)."
        case .cannotWriteOutput(let path, let reason):
            return "Cannot write plot output '\(path)': \(reason)"
        case .emptyPageList:
            return "Nothing to render: the page list is empty."
        case .invalidPage(let stem, let reason):
            return "Invalid page '\(stem)': \(reason)"
        case .plplot(let message):
            return "PLplot error: \(message)"
        }
    }
}
