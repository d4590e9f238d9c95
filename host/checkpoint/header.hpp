// The JSON header of a safetensors file, parsed strictly (internal to the checkpoint part).
//
// The parser is a SAX state machine over nlohmann's tokenizer rather than a DOM, for two
// reasons: a DOM silently keeps one of two duplicate keys, and a hostile 100 MB header would
// become a DOM many times that size. Here every token is checked against the one shape the
// format allows, so memory is proportional to the number of tensors and the first token out
// of place stops the parse with a message that names the tensor.
#pragma once

#include "checkpoint/dtype.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::checkpoint::detail {

struct HeaderEntry {
    std::string   name;
    Dtype         dtype = Dtype::U8;
    Shape         shape;
    std::uint64_t begin = 0;   // data_offsets, relative to the byte buffer after the header
    std::uint64_t end   = 0;
};

struct Header {
    std::vector<HeaderEntry>           tensors;   // in header order
    std::map<std::string, std::string> metadata;  // "__metadata__"
};

// `where` prefixes every message ("checkpoint runs/x/checkpoint.safetensors").
// `file_offset` is where `json` starts in the file, so parse errors give file offsets.
// Checks the header on its own; the layout of the data is checked by validate_layout().
Header parse_header(std::string_view json, const std::string& where, std::uint64_t file_offset);

// Checks that the tensors tile [0, data_size) exactly: sorted by data_offsets, each begins
// where the previous ends, sizes match product(shape) * dtype_size, nothing is left over.
void validate_layout(const Header& header, std::uint64_t data_size, const std::string& where);

}  // namespace genhost::checkpoint::detail
