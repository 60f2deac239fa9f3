// The one exception type the core throws for a caller's mistake or a value
// it cannot represent (docs/contract.md §3). Its kind, not its C++ type,
// decides the SQLSTATE: the bridge maps each kind to a 22xxx code and treats
// every other exception (std::out_of_range from vector::at, a nlohmann
// error, ...) as a bug, reported as an internal error rather than passed off
// as bad input.
#pragma once
#include "no_postgres.h"

#include <stdexcept>

namespace traces {

enum class ErrorKind {
    InvalidParameter,    // an argument the core refuses (22023)
    NumericOutOfRange,   // a total that does not fit 64 bits (22003)
    DatetimeOutOfRange,  // a time or span the core cannot hold or write (22008)
    TooLarge,            // an answer past the bounds of docs/contract.md §3 (54000)
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const char* message) : std::runtime_error(message), kind_(kind) {}

    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

}  // namespace traces
