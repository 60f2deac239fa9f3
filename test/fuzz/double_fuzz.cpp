// libFuzzer target: put_double, the only way the product prints a double.
// For any finite double the text must be fixed notation (digits, one '.',
// an optional leading '-', at least one digit after the point), read back
// as the same double, and be shortest: with one significant digit fewer,
// no decimal (printf's correctly rounded %.Ne) reads back as it.
#include "core/render.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

[[noreturn]] void fail(const char* what, double v, const std::string& text) {
    std::fprintf(stderr, "double_fuzz: %s: %a printed as %s\n", what, v, text.c_str());
    std::abort();
}

// Significant digits of a fixed-notation text: without sign, point, leading
// and trailing zeros.
int significant_digits(const std::string& text) {
    std::string digits;
    for (const char c : text)
        if (c >= '0' && c <= '9') digits += c;
    const size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return 1;
    const size_t last = digits.find_last_not_of('0');
    return static_cast<int>(last - first + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < sizeof(double)) return 0;
    double v;
    std::memcpy(&v, data, sizeof v);
    if (!std::isfinite(v)) return 0;

    traces::Sink measure;
    traces::put_double(measure, v);
    std::string text(measure.size(), '\0');
    traces::Sink write(text.data(), text.size());
    traces::put_double(write, v);

    const size_t point = text.find('.');
    if (point == std::string::npos || point + 1 == text.size() || text.find('.', point + 1) != std::string::npos)
        fail("not one point with digits after it", v, text);
    const size_t minus = text.rfind('-');
    if (text.find_first_not_of("-0123456789.") != std::string::npos || (minus != std::string::npos && minus != 0))
        fail("not fixed notation", v, text);
    if (std::strtod(text.c_str(), nullptr) != v) fail("does not read back", v, text);
    const int digits = significant_digits(text);
    if (digits > 17) fail("more than 17 significant digits", v, text);
    if (digits >= 2) {
        char shorter[64];
        std::snprintf(shorter, sizeof shorter, "%.*e", digits - 2, v);
        if (std::strtod(shorter, nullptr) == v) fail("not shortest", v, text);
    }
    return 0;
}
