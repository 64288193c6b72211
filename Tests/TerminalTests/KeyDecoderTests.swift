import CNcursesw
import Testing
@testable import Terminal

@Suite("Key decoding")
struct KeyDecoderTests {
    @Test("control characters become their keys")
    func controlCharacters() {
        #expect(KeyDecoder.decode(character: 13) == .enter)
        #expect(KeyDecoder.decode(character: 10) == .enter)
        #expect(KeyDecoder.decode(character: 9) == .tab)
        #expect(KeyDecoder.decode(character: 27) == .escape)
        #expect(KeyDecoder.decode(character: 127) == .backspace)
        #expect(KeyDecoder.decode(character: 8) == .backspace)
        #expect(KeyDecoder.decode(character: 3) == .control("c"))
        #expect(KeyDecoder.decode(character: 4) == .control("d"))
        #expect(KeyDecoder.decode(character: 0) == nil)
    }

    @Test("printable and non-ASCII characters come through as characters")
    func printable() {
        #expect(KeyDecoder.decode(character: 0x6E) == .character("n"))
        #expect(KeyDecoder.decode(character: 0x20) == .character(" "))
        #expect(KeyDecoder.decode(character: 0x3A) == .character(":"))
        #expect(KeyDecoder.decode(character: 0xE9) == .character("é"))
        #expect(KeyDecoder.decode(character: 0xD800) == nil)  // a lone surrogate is not a character
    }

    @Test("ncurses function-key codes map to named keys")
    func functionKeys() {
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_UP)) == .up)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_DOWN)) == .down)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_PPAGE)) == .pageUp)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_NPAGE)) == .pageDown)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_HOME)) == .home)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_END)) == .end)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_BTAB)) == .backtab)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_BACKSPACE)) == .backspace)
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_ENTER)) == .enter)
        #expect(KeyDecoder.decode(keyCode: mlc_key_f(1)) == .function(1))
        #expect(KeyDecoder.decode(keyCode: mlc_key_f(12)) == .function(12))
        #expect(KeyDecoder.decode(keyCode: Int32(KEY_RESIZE)) == nil)  // handled by the backend, not a key
    }
}
