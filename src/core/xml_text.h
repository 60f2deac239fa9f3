// Text from the database (job ids, kind names) made safe to place inside an XML document.
#pragma once
#include "no_postgres.h"

#include <string>
#include <string_view>

namespace traces {

// Escapes & < > " ' as entities, so the text can stand in element content and in
// attribute values alike. What XML 1.0 cannot carry at all (control characters other than
// tab, newline and carriage return; U+FFFE, U+FFFF) and bytes that are not valid UTF-8
// (possible only in a SQL_ASCII database) become U+FFFD: the document stays well-formed.
std::string xml_escape(std::string_view text);

// At most `max_chars` code points of `text` (valid UTF-8 assumed, as after xml_escape's
// clean-up), the last replaced by "…" when the text is longer; never cuts a character.
std::string elide(std::string_view text, size_t max_chars);

// `text` with what XML cannot carry replaced by U+FFFD (see xml_escape), not escaped.
std::string xml_clean(std::string_view text);

}  // namespace traces
