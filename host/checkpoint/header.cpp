#include "checkpoint/header.hpp"

#include "util/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_set>

namespace genhost::checkpoint::detail {

namespace {

using json = nlohmann::json;

// "\xff": how a byte that cannot be shown as it is appears in messages.
std::string hex_byte(unsigned char c) {
    static const char* hex = "0123456789abcdef";
    return {'\\', 'x', hex[c >> 4], hex[c & 15]};
}

// Names and values come from the file: keep them short and printable in messages.
// (They are valid UTF-8, which the JSON parser checked; only control bytes are escaped.)
std::string quote(std::string_view text) {
    constexpr std::size_t kMax = 80;
    std::size_t           n    = std::min(text.size(), kMax);
    while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    std::string out = "'";
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out += c < 0x20 || c == 0x7F ? hex_byte(c) : std::string(1, static_cast<char>(c));
    }
    return out + (n < text.size() ? "...'" : "'");
}

// nlohmann's parse error, made fit for a message: without the "[json.exception...] " tag,
// with bytes that are not printable ASCII escaped (they may not be UTF-8), and cut short:
// its "last read" part quotes the offending token, which in a hostile file can be megabytes.
std::string printable(std::string_view what) {
    if (const auto tag = what.find("] "); what.rfind("[json.exception", 0) == 0 && tag != std::string_view::npos)
        what.remove_prefix(tag + 2);
    constexpr std::size_t kMax = 300;
    std::string           out;
    for (std::size_t i = 0; i < what.size() && out.size() < kMax; ++i) {
        const auto c = static_cast<unsigned char>(what[i]);
        out += c >= 0x20 && c < 0x7F ? std::string(1, static_cast<char>(c)) : hex_byte(c);
    }
    return out.size() >= kMax ? out + "..." : out;
}

// One JSON event, as seen by the state machine below.
struct Token {
    enum Kind { Null, Bool, Int, Uint, Float, String, ObjectStart, ObjectEnd, ArrayStart, ArrayEnd, Key };
    Kind          kind;
    std::int64_t  int_value  = 0;
    std::uint64_t uint_value = 0;
    std::string   text;  // string value, key, or the literal of a float/bool

    Token(Kind k, std::int64_t i = 0, std::uint64_t u = 0, std::string s = {})
        : kind(k), int_value(i), uint_value(u), text(std::move(s)) {}

    std::string describe() const {
        switch (kind) {
            case Null: return "null";
            case Bool: return text;
            case Int: return std::to_string(int_value);
            case Uint: return std::to_string(uint_value);
            case Float: return text;
            case String: return "the string " + quote(text);
            case ObjectStart: return "an object";
            case ArrayStart: return "an array";
            case ObjectEnd: return "the end of the object";
            case ArrayEnd: return "the end of the array";
            case Key: return "the key " + quote(text);
        }
        return "?";
    }
};

class HeaderSax {
public:
    explicit HeaderSax(const std::string& where) : where_(where) {}

    Header take() { return std::move(header_); }
    bool   done() const { return state_ == State::Done; }

    // nlohmann's SAX interface: each event becomes a Token for step().
    bool null() { return step({Token::Null}); }
    bool boolean(bool v) { return step({Token::Bool, 0, 0, v ? "true" : "false"}); }
    bool number_integer(json::number_integer_t v) { return step({Token::Int, v}); }
    bool number_unsigned(json::number_unsigned_t v) { return step({Token::Uint, 0, v}); }
    bool number_float(json::number_float_t, const std::string& s) { return step({Token::Float, 0, 0, s}); }
    bool string(std::string& s) { return step({Token::String, 0, 0, std::move(s)}); }
    bool binary(json::binary_t&) { return step({Token::Null}); }  // never produced by JSON text
    bool start_object(std::size_t) { return step({Token::ObjectStart}); }
    bool end_object() { return step({Token::ObjectEnd}); }
    bool start_array(std::size_t) { return step({Token::ArrayStart}); }
    bool end_array() { return step({Token::ArrayEnd}); }
    bool key(std::string& k) { return step({Token::Key, 0, 0, std::move(k)}); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
        error_position_ = position;
        error_text_     = printable(e.what());
        return false;
    }

    std::size_t        error_position() const { return error_position_; }
    const std::string& error_text() const { return error_text_; }

private:
    enum class State { Start, TopKey, TopValue, MetaKey, MetaValue, EntryKey, EntryValue, Shape, Offsets, Done };
    enum Field : unsigned { kDtype = 1, kShape = 2, kOffsets = 4 };

    static constexpr const char* kEntryForm =
        "{\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [begin, end]}";

    [[noreturn]] void fail(const std::string& what) const { throw Error(where_ + ": " + what); }
    [[noreturn]] void fail_tensor(const std::string& what) const {
        fail("tensor " + quote(entry_.name) + ": " + what);
    }

    // The one shape a header may have, one state per place in it:
    //   Start { TopKey: TopValue                                        } Done
    //             "__metadata__": { MetaKey: MetaValue(string) ... }
    //             name:           { EntryKey: EntryValue ... }  with EntryValue one of
    //                               "dtype": string, "shape": [ Shape... ], "data_offsets": [ Offsets, Offsets ]
    bool step(Token t) {
        switch (state_) {
            case State::Start:
                if (t.kind != Token::ObjectStart)
                    fail("the header must be a JSON object mapping tensor names to " +
                         std::string(kEntryForm) + ", found " + t.describe());
                state_ = State::TopKey;
                return true;

            case State::TopKey:
                if (t.kind == Token::ObjectEnd) {
                    state_ = State::Done;
                    return true;
                }
                if (!top_keys_.insert(t.text).second) {
                    if (t.text == "__metadata__") fail("'__metadata__' appears twice in the header");
                    fail("tensor " + quote(t.text) +
                         " appears twice in the header; names must be unique (JSON readers "
                         "disagree on which copy wins, so the file is ambiguous)");
                }
                entry_      = HeaderEntry{};
                entry_.name = std::move(t.text);
                state_      = State::TopValue;
                return true;

            case State::TopValue:
                if (entry_.name == "__metadata__") {
                    if (t.kind != Token::ObjectStart)
                        fail("'__metadata__' must be an object of string keys to string values, found " +
                             t.describe());
                    state_ = State::MetaKey;
                    return true;
                }
                if (t.kind != Token::ObjectStart)
                    fail_tensor("expected an object " + std::string(kEntryForm) + ", found " + t.describe());
                seen_   = 0;
                state_  = State::EntryKey;
                return true;

            case State::MetaKey:
                if (t.kind == Token::ObjectEnd) {
                    state_ = State::TopKey;
                    return true;
                }
                if (header_.metadata.count(t.text))
                    fail("'__metadata__' key " + quote(t.text) + " appears twice");
                meta_key_ = std::move(t.text);
                state_    = State::MetaValue;
                return true;

            case State::MetaValue:
                if (t.kind != Token::String)
                    fail("'__metadata__' key " + quote(meta_key_) +
                         ": values must be strings (safetensors metadata maps strings to strings), found " +
                         t.describe());
                header_.metadata.emplace(std::move(meta_key_), std::move(t.text));
                state_ = State::MetaKey;
                return true;

            case State::EntryKey:
                if (t.kind == Token::ObjectEnd) return finish_entry();
                field_ = t.text == "dtype" ? kDtype
                       : t.text == "shape" ? kShape
                       : t.text == "data_offsets" ? kOffsets
                       : 0u;
                if (field_ == 0)
                    fail_tensor("unknown field " + quote(t.text) + "; an entry has exactly the fields " +
                                "dtype, shape and data_offsets");
                if (seen_ & field_) fail_tensor("field " + quote(t.text) + " appears twice");
                seen_ |= field_;
                state_ = State::EntryValue;
                return true;

            case State::EntryValue:
                if (field_ == kDtype) {
                    if (t.kind != Token::String)
                        fail_tensor("dtype must be a string such as \"F32\", found " + t.describe());
                    const auto dtype = dtype_from_name(t.text);
                    if (!dtype) fail_tensor("unknown dtype " + quote(t.text) + "; expected one of " + dtype_names());
                    entry_.dtype = *dtype;
                    state_       = State::EntryKey;
                    return true;
                }
                if (t.kind != Token::ArrayStart)
                    fail_tensor(field_ == kShape
                                    ? "shape must be an array of non-negative integers, found " + t.describe()
                                    : "data_offsets must be an array [begin, end], found " + t.describe());
                offsets_.clear();
                state_ = field_ == kShape ? State::Shape : State::Offsets;
                return true;

            case State::Shape:
                if (t.kind == Token::ArrayEnd) {
                    state_ = State::EntryKey;
                    return true;
                }
                entry_.shape.push_back(static_cast<std::int64_t>(
                    non_negative(t, "shape[" + std::to_string(entry_.shape.size()) + "]",
                                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))));
                return true;

            case State::Offsets:
                if (t.kind == Token::ArrayEnd) {
                    if (offsets_.size() != 2)
                        fail_tensor("data_offsets must be [begin, end], found " +
                                    std::string(offsets_.empty() ? "an empty array" : "only one number"));
                    entry_.begin = offsets_[0];
                    entry_.end   = offsets_[1];
                    state_       = State::EntryKey;
                    return true;
                }
                if (offsets_.size() == 2)
                    fail_tensor("data_offsets must be [begin, end], found more than two elements");
                offsets_.push_back(non_negative(t, offsets_.empty() ? "data_offsets begin" : "data_offsets end",
                                                std::numeric_limits<std::uint64_t>::max()));
                return true;

            case State::Done:
                fail("unexpected " + t.describe() + " after the header object");
        }
        return false;
    }

    std::uint64_t non_negative(const Token& t, const std::string& what, std::uint64_t max) const {
        if (t.kind == Token::Uint && t.uint_value <= max) return t.uint_value;
        if (t.kind == Token::Int && t.int_value >= 0) return static_cast<std::uint64_t>(t.int_value);
        std::string found = t.describe();
        if (t.kind == Token::Uint || t.kind == Token::Float) found += " (integers only, at most " + std::to_string(max) + ")";
        fail_tensor(what + " must be a non-negative integer, found " + found);
    }

    bool finish_entry() {
        static const std::pair<unsigned, const char*> kRequired[] = {
            {kDtype, "dtype"}, {kShape, "shape"}, {kOffsets, "data_offsets"}};
        for (const auto& [bit, name] : kRequired)
            if (!(seen_ & bit)) fail_tensor(std::string("missing field '") + name + "'; expected " + kEntryForm);

        if (entry_.end < entry_.begin)
            fail_tensor("data_offsets [" + std::to_string(entry_.begin) + "," + std::to_string(entry_.end) +
                        "] end before they begin; expected [begin, end] with begin <= end");

        // product(shape) * dtype_size must equal end - begin, computed without overflow.
        std::uint64_t bytes = dtype_size(entry_.dtype);
        for (const auto dim : entry_.shape)
            if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(dim), &bytes))
                fail_tensor("shape " + shape_string(entry_.shape) + " of " + std::string(dtype_name(entry_.dtype)) +
                            " needs more bytes than fit in 64 bits");
        const std::uint64_t have = entry_.end - entry_.begin;
        if (bytes != have)
            fail_tensor("shape " + shape_string(entry_.shape) + " of " + std::string(dtype_name(entry_.dtype)) +
                        " needs " + std::to_string(bytes) + " bytes, but data_offsets [" +
                        std::to_string(entry_.begin) + "," + std::to_string(entry_.end) + "] hold " +
                        std::to_string(have));

        header_.tensors.push_back(std::move(entry_));
        state_ = State::TopKey;
        return true;
    }

    const std::string&              where_;
    State                           state_ = State::Start;
    Header                          header_;
    std::unordered_set<std::string> top_keys_;
    HeaderEntry                     entry_;
    unsigned                        field_ = 0;
    unsigned                        seen_  = 0;
    std::vector<std::uint64_t>      offsets_;
    std::string                     meta_key_;
    std::size_t                     error_position_ = 0;
    std::string                     error_text_;
};

// What a header that does not start with '{' starts with.
std::string first_byte(std::string_view text) {
    if (text.empty()) return "an empty header";
    const auto c = static_cast<unsigned char>(text.front());
    return c >= 0x20 && c < 0x7F ? "'" + std::string(1, text.front()) + "'" : "byte " + hex_byte(c);
}

}  // namespace

Header parse_header(std::string_view text, const std::string& where, std::uint64_t file_offset) {
    // Checked first so that a BOM (which nlohmann would skip) or a non-safetensors file gets a
    // message about the format instead of a JSON syntax error.
    if (text.empty() || text.front() != '{')
        throw Error(where + ": the header at byte " + std::to_string(file_offset) +
                    " must be a JSON object starting with '{', found " +
                    first_byte(text) +
                    "; is this a safetensors file?");

    HeaderSax  sax(where);
    const bool ok = json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, true);
    if (!ok || !sax.done()) {
        // nlohmann counts positions from 1 at the character after the offending one.
        const std::uint64_t at = file_offset + (sax.error_position() ? sax.error_position() - 1 : 0);
        throw Error(where + ": the header is not valid UTF-8 JSON near byte " + std::to_string(at) + ": " +
                    sax.error_text());
    }
    return sax.take();
}

void validate_layout(const Header& header, std::uint64_t data_size, const std::string& where) {
    const auto& tensors = header.tensors;
    auto        range   = [](const HeaderEntry& e) {
        return "[" + std::to_string(e.begin) + "," + std::to_string(e.end) + "]";
    };
    for (const auto& e : tensors)
        if (e.end > data_size)
            throw Error(where + ": tensor " + quote(e.name) + ": data_offsets " + range(e) +
                        " go past the end of the data, which holds " + std::to_string(data_size) +
                        " bytes; the file is truncated or the header is wrong");

    std::vector<std::size_t> order(tensors.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(tensors[a].begin, tensors[a].end) < std::tie(tensors[b].begin, tensors[b].end);
    });

    std::uint64_t      covered = 0;  // tensors so far tile [0, covered)
    const HeaderEntry* prev    = nullptr;
    for (const auto i : order) {
        const auto& e = tensors[i];
        if (e.begin < covered)
            throw Error(where + ": tensor " + quote(e.name) + ": data_offsets " + range(e) +
                        " overlap tensor " + quote(prev->name) + " at " + range(*prev) +
                        "; every byte of the data belongs to exactly one tensor");
        if (e.begin > covered)
            throw Error(where + ": tensor " + quote(e.name) + ": data_offsets " + range(e) + " leave a hole: bytes [" +
                        std::to_string(covered) + "," + std::to_string(e.begin) +
                        ") belong to no tensor; every byte of the data belongs to exactly one tensor");
        covered = e.end;
        prev    = &e;
    }
    if (covered != data_size)
        throw Error(where + ": " + std::to_string(data_size - covered) + " trailing bytes after the last tensor" +
                    (prev ? " " + quote(prev->name) : std::string()) + ": the tensors end at data byte " +
                    std::to_string(covered) + " but the data holds " + std::to_string(data_size) + " bytes");
}

}  // namespace genhost::checkpoint::detail
