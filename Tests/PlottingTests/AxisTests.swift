import Foundation
import Testing
@testable import Plotting

/// Axis windows and ticks: always finite and non-degenerate, sensible labels.
@Suite struct AxisTests {
    @Test func allEqualValuesGetANonDegenerateRange() {
        for value in [0.0, 5, -3e-9, 1e12] {
            let window = AxisFitting.window(values: [value, value], scale: .linear, explicit: nil)
            #expect(window.lowerBound < value && value < window.upperBound)
            #expect(window.lowerBound.isFinite && window.upperBound.isFinite)
        }
        let log = AxisFitting.window(values: [2, 2], scale: .log10, explicit: nil)
        #expect(log == 1...3)
    }

    @Test func emptyOrUnusableInputFallsBack() {
        #expect(AxisFitting.window(values: [], scale: .linear, explicit: nil) == 0...1)
        #expect(AxisFitting.window(values: [.nan, .infinity], scale: .log10, explicit: nil) == 0...1)
        // An explicit range that cannot be used on a log axis is ignored (values are
        // already in window coordinates, i.e. log10 of the data).
        let window = AxisFitting.window(values: [0, log10(2)], scale: .log10, explicit: -1...10)
        #expect(window.lowerBound <= 0 && window.upperBound >= log10(2))
        // A usable one is taken as is (in log10 units on a log axis).
        #expect(AxisFitting.window(values: [1], scale: .log10, explicit: 0.01...100) == -2...2)
    }

    @Test func barsStandOnZero() {
        let window = AxisFitting.window(values: [3, 5], scale: .linear, explicit: nil, includeZero: true)
        #expect(window.lowerBound == 0)
        #expect(window.upperBound > 5)
    }

    @Test func narrowLogRangesShowAtLeastTwoDecades() {
        let window = AxisFitting.window(values: [log10(2), log10(8)], scale: .log10, explicit: nil)
        let ticks = AxisTicks.make(window, scale: .log10, target: 5)
        #expect(ticks.labels.map(\.text) == ["1", "10"])
        let wide = AxisTicks.make(-12...3, scale: .log10, target: 5)
        #expect(wide.step > 1)
        #expect(wide.labels.allSatisfy { $0.text.hasPrefix("10#u") })
    }

    @Test func linearTicksAreNiceAndUseATypographicMinus() {
        let ticks = AxisTicks.make(-1.05...2.1, scale: .linear, target: 5)
        #expect(ticks.step == 0.5)
        #expect(ticks.labels.map(\.text) == ["−1.0", "−0.5", "0", "0.5", "1.0", "1.5", "2.0"])
        #expect(ticks.multiplierExponent == nil)
    }

    @Test func hugeValuesMoveAMultiplierToTheAxisLabel() {
        let ticks = AxisTicks.make(0...2.1e6, scale: .linear, target: 4)
        #expect(ticks.multiplierExponent == 6)
        #expect(ticks.labels.map(\.text).contains("1.0"))
        #expect(ticks.decoratedLabel("time #2") == "time ##2 (×10#u6#d)")
        let tiny = AxisTicks.make(-3e-6...3e-6, scale: .linear, target: 4)
        #expect(tiny.multiplierExponent == -6)
        #expect(tiny.decoratedLabel("") == "×10#u−6#d")
    }
}
