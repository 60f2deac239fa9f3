#include "xml_text.h"

#include <cstdint>

namespace traces {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i] and its code point, or 0 when invalid
// (overlong forms, surrogates and values past U+10FFFF are invalid).
size_t utf8_at(std::string_view s, size_t i, uint32_t& cp) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    size_t len;
    uint32_t min;
    if (c < 0x80) { cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool xml_char(uint32_t cp) {
    if (cp < 0x20) return cp == 0x09 || cp == 0x0A || cp == 0x0D;
    return cp != 0xFFFE && cp != 0xFFFF;
}

template <typename Emit>
void each_char(std::string_view s, Emit emit) {
    for (size_t i = 0; i < s.size();) {
        uint32_t cp = 0;
        const size_t len = utf8_at(s, i, cp);
        if (len == 0) {
            emit(kReplacement, 0xFFFD);
            ++i;
        } else {
            emit(xml_char(cp) ? s.substr(i, len) : kReplacement, cp);
            i += len;
        }
    }
}

}  // namespace

std::string xml_clean(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    each_char(text, [&](std::string_view c, uint32_t) { out += c; });
    return out;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    each_char(text, [&](std::string_view c, uint32_t cp) {
        switch (cp) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    });
    return out;
}

std::string elide(std::string_view text, size_t max_chars) {
    if (max_chars == 0) return std::string();
    size_t chars = 0, cut = 0;  // cut: byte offset after max_chars - 1 characters
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
        if (chars == max_chars - 1) cut = i;
        if (++chars > max_chars) return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";  // …
    }
    return std::string(text);
}

}  // namespace traces
