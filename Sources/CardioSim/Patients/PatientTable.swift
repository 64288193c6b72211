import Foundation
import MLEngine

/// One simulated patient: the tabular data of the regression, classification and boosting labs.
public struct Patient: Sendable, Equatable {
    /// Years.
    public var age: Double
    /// 1 = female, 0 = male.
    public var female: Bool
    /// Resting heart rate, bpm.
    public var heartRate: Double
    /// Systolic and diastolic blood pressure, mmHg.
    public var systolic: Double
    public var diastolic: Double
    /// QT interval, ms, and its heart-rate correction QTc = QT / sqrt(RR) (Bazett), ms.
    public var qt: Double
    public var qtc: Double
    /// Total cholesterol, mmol/L.
    public var cholesterol: Double
    /// Body-mass index, kg/m^2.
    public var bmi: Double
    public var smoker: Bool
    public var diabetic: Bool
    /// Takes a QT-prolonging drug.
    public var qtDrug: Bool
    /// Ten-year cardiovascular risk, percent (the regression target).
    public var risk: Double
    /// Whether an event happened (the classification target), drawn with probability risk/100.
    public var event: Bool

    /// Column names of `row`, in order.
    public static let columns = ["age", "female", "heart_rate", "systolic", "diastolic", "qt", "qtc",
                                 "cholesterol", "bmi", "smoker", "diabetic", "qt_drug", "risk", "event"]
    /// The features (everything but the targets).
    public static let featureColumns = Array(columns.dropLast(2))

    public var row: [Double] {
        [age, female ? 1 : 0, heartRate, systolic, diastolic, qt, qtc, cholesterol, bmi,
         smoker ? 1 : 0, diabetic ? 1 : 0, qtDrug ? 1 : 0, risk, event ? 1 : 0]
    }
}

/// Settings of the patients table.
public struct PatientTableConfig: Codable, Sendable, Equatable {
    public var trainCount: Int
    public var testCount: Int
    /// Standard deviation of the unexplained part of the risk, percentage points.
    public var riskNoise: Double

    public init(trainCount: Int = 2000, testCount: Int = 500, riskNoise: Double = 2.0) {
        self.trainCount = trainCount
        self.testCount = testCount
        self.riskNoise = riskNoise
    }
}

/// A table of patients whose risk is flat until about 55 and then rises steeply, with the
/// interaction a tree can find (fast heart and long QTc together).
public struct PatientTable: Sendable {
    public var train: [Patient]
    public var test: [Patient]

    /// The risk model, percent: a small baseline that barely moves before 55 and climbs by
    /// 1.1 points a year after it, plus blood pressure, cholesterol, smoking, diabetes, BMI,
    /// and +12 points when heart rate > 100 bpm and QTc > 450 ms together.
    public static func expectedRisk(age: Double, female: Bool, heartRate: Double, systolic: Double, qtc: Double,
                                    cholesterol: Double, bmi: Double, smoker: Bool, diabetic: Bool) -> Double {
        var risk = 3 + 0.05 * (age - 30) + 1.1 * Swift.max(0, age - 55)
        risk += 0.12 * Swift.max(0, systolic - 120)
        risk += 1.5 * Swift.max(0, cholesterol - 5)
        risk += smoker ? 4 : 0
        risk += diabetic ? 5 : 0
        risk += 0.3 * Swift.max(0, bmi - 27)
        risk -= female ? 2 : 0
        if heartRate > 100 && qtc > 450 { risk += 12 }
        return Swift.min(Swift.max(risk, 0.5), 95)
    }

    /// One patient from its own generator.
    public static func patient(rng: inout SeededGenerator, riskNoise: Double) -> Patient {
        func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(x, lo), hi) }
        let age = clamp(rng.normal(mean: 55, std: 13), 25, 90).rounded()
        let female = rng.bernoulli(0.5)
        let smoker = rng.bernoulli(0.22)
        let bmi = clamp(rng.normal(mean: 27, std: 4.5), 17, 48)
        let diabetic = rng.bernoulli(clamp(0.02 + 0.002 * (age - 30) + 0.015 * (bmi - 27), 0.01, 0.6))
        let qtDrug = rng.bernoulli(0.15)
        // Blood pressure rises with age and weight; diastolic follows systolic.
        let systolic = clamp(rng.normal(mean: 105 + 0.5 * age + 0.8 * (bmi - 27), std: 13), 85, 210).rounded()
        let diastolic = clamp(rng.normal(mean: 35 + 0.38 * systolic, std: 6), 50, 130).rounded()
        let heartRate = clamp(rng.normal(mean: 76 + (smoker ? 4 : 0) + (female ? 3 : 0), std: 15), 42, 150).rounded()
        let qtc = clamp(rng.normal(mean: 415 + (female ? 10 : 0) + (qtDrug ? 40 : 0), std: 20), 350, 560).rounded()
        let qt = (qtc * (60 / heartRate).squareRoot()).rounded()
        let cholesterol = clamp(rng.normal(mean: 4.4 + 0.02 * age, std: 0.9), 2.5, 10)
        let expected = expectedRisk(age: age, female: female, heartRate: heartRate, systolic: systolic, qtc: qtc,
                                    cholesterol: cholesterol, bmi: bmi, smoker: smoker, diabetic: diabetic)
        let risk = clamp(expected + rng.normal(mean: 0, std: riskNoise), 0.1, 99)
        let event = rng.bernoulli(risk / 100)
        return Patient(age: age, female: female, heartRate: heartRate, systolic: systolic, diastolic: diastolic,
                       qt: qt, qtc: qtc, cholesterol: (cholesterol * 10).rounded() / 10, bmi: (bmi * 10).rounded() / 10,
                       smoker: smoker, diabetic: diabetic, qtDrug: qtDrug, risk: (risk * 100).rounded() / 100, event: event)
    }

    public static func generate(_ config: PatientTableConfig, seed: UInt64) throws -> PatientTable {
        guard config.trainCount >= 0, config.testCount >= 0, config.riskNoise >= 0 else {
            throw CardioSimError.invalidParameter("patient counts and riskNoise must be >= 0")
        }
        func make(_ count: Int, _ stream: UInt64) -> [Patient] {
            (0..<count).map { i in
                var rng = SeededGenerator(seed: SeedMixing.derive(seed, stream, UInt64(i)))
                return patient(rng: &rng, riskNoise: config.riskNoise)
            }
        }
        return PatientTable(train: make(config.trainCount, 1), test: make(config.testCount, 2))
    }

    /// Features [count, 12] and the two targets [count] as tensors.
    public static func tensors(_ patients: [Patient]) -> (features: Tensor, risk: Tensor, event: Tensor) {
        let rows = patients.map(\.row)
        let width = Patient.featureColumns.count
        return (Tensor(shape: [patients.count, width], scalars: rows.flatMap { $0.prefix(width).map(Float.init) }),
                Tensor(shape: [patients.count], scalars: patients.map { Float($0.risk) }),
                Tensor(shape: [patients.count], scalars: patients.map { $0.event ? 1 : 0 }))
    }
}
