// The .npy header: a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (10000, 28, 28), }
// read by a strict little parser (no eval), which also rejects what read_npy cannot load.
#include "data/npy.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace genhost::data {
namespace {

// A strict reader of the Python literal NumPy writes: a dict with string keys whose
// values are strings, True/False, or tuples of non-negative integers.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& path) : s_(text), path_(path) {}

    NpyHeader parse() {
        NpyHeader h;
        bool have_descr = false, have_order = false, have_shape = false;
        expect('{');
        while (true) {
            skip_space();
            if (peek() == '}') { ++pos_; break; }
            const std::string key = string_literal();
            expect(':');
            skip_space();
            if (key == "descr") {
                if (peek() == '[') fail("a structured dtype (a list of fields) is not supported; save a plain numeric array");
                h.dtype = dtype(string_literal());
                have_descr = true;
            } else if (key == "fortran_order") {
                h.fortran_order = boolean();
                have_order = true;
            } else if (key == "shape") {
                h.shape = tuple();
                have_shape = true;
            } else {
                fail("unknown key '" + key + "'; expected descr, fortran_order and shape");
            }
            skip_space();
            if (peek() == ',') { ++pos_; continue; }
            expect('}');
            break;
        }
        skip_space();
        if (pos_ != s_.size()) fail("unexpected text after the closing brace");
        if (!have_descr || !have_order || !have_shape) {
            fail("the header lacks '" + std::string(!have_descr ? "descr" : !have_order ? "fortran_order" : "shape") + "'");
        }
        if (h.fortran_order) {
            throw Error(path_ + ": the array is stored in Fortran (column-major) order, which is not "
                        "supported; save it in C order: np.save(path, np.ascontiguousarray(a))");
        }
        return h;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(path_ + ": bad .npy header at character " + std::to_string(pos_) + ": " + what +
                    " (header: " + s_.substr(0, 200) + "); write the file with np.save");
    }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void skip_space() { while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_; }
    void expect(char c) {
        skip_space();
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++pos_;
    }
    std::string string_literal() {
        skip_space();
        const char quote = peek();
        if (quote != '\'' && quote != '"') fail("expected a quoted string");
        const size_t end = s_.find(quote, pos_ + 1);
        if (end == std::string::npos) fail("unterminated string");
        std::string value = s_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
        return value;
    }
    bool boolean() {
        if (s_.compare(pos_, 4, "True") == 0) { pos_ += 4; return true; }
        if (s_.compare(pos_, 5, "False") == 0) { pos_ += 5; return false; }
        fail("expected True or False");
    }
    std::vector<int64_t> tuple() {
        expect('(');
        std::vector<int64_t> dims;
        while (true) {
            skip_space();
            if (peek() == ')') { ++pos_; break; }
            if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("expected a dimension (a non-negative integer)");
            int64_t v = 0;
            while (std::isdigit(static_cast<unsigned char>(peek()))) {
                if (v > (int64_t(1) << 40)) fail("dimension too large");
                v = v * 10 + (s_[pos_++] - '0');
            }
            if (peek() == 'L') ++pos_;  // Python 2 longs
            dims.push_back(v);
            skip_space();
            if (peek() == ',') { ++pos_; continue; }
            expect(')');
            break;
        }
        if (dims.size() > 8) fail("more than 8 dimensions");
        return dims;
    }
    std::string dtype(const std::string& descr) {
        static const char* const supported[] = {"u1", "i4", "i8", "f4", "f8"};
        if (descr.size() >= 2) {
            const char order = descr[0];
            const std::string code = descr.substr(1);
            const bool known = std::find_if(std::begin(supported), std::end(supported),
                                            [&](const char* s) { return code == s; }) != std::end(supported);
            if (known && (order == '<' || order == '=' || (order == '|' && code == "u1"))) return code;
            if (known && order == '>') {
                throw Error(path_ + ": dtype '" + descr + "' is big-endian; save a little-endian "
                            "copy: np.save(path, a.astype('<" + code + "'))");
            }
        }
        throw Error(path_ + ": unsupported dtype '" + descr + "'; expected uint8 ('|u1'), float32 "
                    "('<f4') or float64 ('<f8') for images, int64/int32/uint8 for labels; convert "
                    "with a.astype(np.float32)");
    }

    const std::string& s_;
    const std::string& path_;
    size_t pos_ = 0;
};

}  // namespace

NpyHeader parse_npy_header(const std::string& text, const std::string& path) {
    return HeaderParser(text, path).parse();
}

}  // namespace genhost::data
