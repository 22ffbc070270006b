// WasmKit's modules also define `Value` and friends; inside this target the names mean wasmc's.
import Wasmc

typealias Value = Wasmc.Value
typealias Function = Wasmc.Function
typealias Memory = Wasmc.Memory
typealias Table = Wasmc.Table
typealias Global = Wasmc.Global
typealias Instance = Wasmc.Instance
typealias Imports = Wasmc.Imports
