/* genhost/params.h: typed access to a plugin's params for plugins written in C.
 *
 * The factory's `create` receives its params as JSON text: one flat object, already
 * validated by the host against the plugin's schema, with every default filled in
 * ({"size":28,"scale":0.5,"name":"gray","center":true}). These functions read one key of
 * such an object; no JSON library is needed. Header-only (static inline): nothing to link.
 *
 *     int64_t size; double scale; bool center; char name[64];
 *     if (genhost_params_get_int(params, "size", &size) != GENHOST_OK ||
 *         genhost_params_get_double(params, "scale", &scale) != GENHOST_OK ||
 *         genhost_params_get_bool(params, "center", &center) != GENHOST_OK ||
 *         genhost_params_get_string(params, "name", name, sizeof name) != GENHOST_OK) {
 *         snprintf(error, capacity, "params: expected size, scale, center and name");
 *         return GENHOST_ERROR_INVALID_ARGUMENT;
 *     }
 *
 * Every function returns GENHOST_OK and writes `*out`, or returns
 * GENHOST_ERROR_INVALID_ARGUMENT and leaves `*out` unchanged when the text is not a JSON
 * object, the key is absent, or its value has another type (get_int refuses 2.5 and
 * accepts 2 and 2.0; get_double accepts any number). Only top-level keys are seen; nested
 * objects and arrays are skipped over (read those with a JSON library). Numbers are parsed
 * independently of the C locale (exact for the usual 15 significant digits). Thread rule: pure functions of their arguments, callable
 * from any thread.
 */
#ifndef GENHOST_PARAMS_H
#define GENHOST_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True when `key` is present and not null. */
static inline bool genhost_params_has(const char* json, const char* key);

/* An integer value (int64 range). */
static inline genhost_status genhost_params_get_int(const char* json, const char* key, int64_t* out);

/* Any number. */
static inline genhost_status genhost_params_get_double(const char* json, const char* key, double* out);

/* true or false. */
static inline genhost_status genhost_params_get_bool(const char* json, const char* key, bool* out);

/* A string, unescaped to UTF-8 and NUL-terminated in out[0, capacity). A value that does
 * not fit (with its NUL) is an error; `out` then holds nothing useful. */
static inline genhost_status genhost_params_get_string(const char* json, const char* key, char* out,
                                                       size_t capacity);

/* ---- implementation ------------------------------------------------------------------ */

static inline const char* genhost_params__ws(const char* p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') ++p;
    return p;
}

static inline int genhost_params__hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the string at p (at its opening quote). With out != NULL, writes it unescaped
 * (UTF-8, NUL-terminated) and sets *length; returns the character after the closing
 * quote, or NULL on malformed text or when it does not fit `capacity`. */
static inline const char* genhost_params__string(const char* p, char* out, size_t capacity, size_t* length) {
    size_t n = 0;
    if (*p++ != '"') return NULL;
    for (;;) {
        unsigned long code = (unsigned char)*p++;
        if (code == '\0' || code < 0x20) return NULL;
        if (code == '"') break;
        if (code == '\\') {
            const char e = *p++;
            switch (e) {
                case '"': case '\\': case '/': code = (unsigned char)e; break;
                case 'b': code = '\b'; break;
                case 'f': code = '\f'; break;
                case 'n': code = '\n'; break;
                case 'r': code = '\r'; break;
                case 't': code = '\t'; break;
                case 'u': {
                    code = 0;
                    for (int i = 0; i < 4; ++i) {
                        const int h = genhost_params__hex(*p++);
                        if (h < 0) return NULL;
                        code = code * 16 + (unsigned long)h;
                    }
                    if (code >= 0xD800 && code < 0xDC00 && p[0] == '\\' && p[1] == 'u') {  /* surrogate pair */
                        unsigned long low = 0;
                        for (int i = 2; i < 6; ++i) {
                            const int h = genhost_params__hex(p[i]);
                            if (h < 0) return NULL;
                            low = low * 16 + (unsigned long)h;
                        }
                        if (low >= 0xDC00 && low < 0xE000) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            p += 6;
                        }
                    }
                    break;
                }
                default: return NULL;
            }
            if (out) {  /* encode `code` as UTF-8 */
                unsigned char bytes[4];
                size_t count = 0;
                if (code < 0x80) bytes[count++] = (unsigned char)code;
                else if (code < 0x800) {
                    bytes[count++] = (unsigned char)(0xC0 | (code >> 6));
                    bytes[count++] = (unsigned char)(0x80 | (code & 0x3F));
                } else if (code < 0x10000) {
                    bytes[count++] = (unsigned char)(0xE0 | (code >> 12));
                    bytes[count++] = (unsigned char)(0x80 | ((code >> 6) & 0x3F));
                    bytes[count++] = (unsigned char)(0x80 | (code & 0x3F));
                } else {
                    bytes[count++] = (unsigned char)(0xF0 | (code >> 18));
                    bytes[count++] = (unsigned char)(0x80 | ((code >> 12) & 0x3F));
                    bytes[count++] = (unsigned char)(0x80 | ((code >> 6) & 0x3F));
                    bytes[count++] = (unsigned char)(0x80 | (code & 0x3F));
                }
                for (size_t i = 0; i < count; ++i) {
                    if (n + 1 >= capacity) return NULL;
                    out[n++] = (char)bytes[i];
                }
            }
            continue;
        }
        if (out) {
            if (n + 1 >= capacity) return NULL;
            out[n++] = (char)code;
        }
    }
    if (out) {
        out[n] = '\0';
        if (length) *length = n;
    }
    return p;
}

/* Skips the value at p; returns the character after it, or NULL on malformed text. */
static inline const char* genhost_params__skip(const char* p) {
    p = genhost_params__ws(p);
    if (*p == '"') return genhost_params__string(p, NULL, 0, NULL);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        do {
            if (*p == '"') {
                p = genhost_params__string(p, NULL, 0, NULL);
                if (!p) return NULL;
                continue;
            }
            if (*p == '{' || *p == '[') ++depth;
            else if (*p == '}' || *p == ']') --depth;
            else if (*p == '\0') return NULL;
            ++p;
        } while (depth > 0);
        return p;
    }
    const char* start = p;
    while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') ++p;
    return p > start ? p : NULL;
}

/* The value of top-level `key` (NULL when absent or the text is malformed). */
static inline const char* genhost_params__find(const char* json, const char* key) {
    if (!json || !key) return NULL;
    const char* p = genhost_params__ws(json);
    if (*p++ != '{') return NULL;
    const size_t key_length = strlen(key);
    for (;;) {
        p = genhost_params__ws(p);
        if (*p == '}') return NULL;
        char name[256];
        size_t name_length = 0;
        const char* after = genhost_params__string(p, name, sizeof name, &name_length);
        const bool match = after && name_length == key_length && memcmp(name, key, key_length) == 0;
        if (!after) after = genhost_params__string(p, NULL, 0, NULL);  /* a longer key than ours */
        if (!after) return NULL;
        p = genhost_params__ws(after);
        if (*p++ != ':') return NULL;
        p = genhost_params__ws(p);
        if (match) return p;
        p = genhost_params__skip(p);
        if (!p) return NULL;
        p = genhost_params__ws(p);
        if (*p == ',') ++p;
        else if (*p != '}') return NULL;
    }
}

/* A JSON number at p, read without the C locale: into *value, and *integral when it has
 * no fraction or exponent. Returns the character after it, or NULL. */
static inline const char* genhost_params__number(const char* p, double* value, bool* integral) {
    bool negative = false;
    if (*p == '-') negative = true, ++p;
    if (*p < '0' || *p > '9') return NULL;
    char digits[40];  /* significant digits, for an exact conversion */
    int count = 0, scale = 0;
    *integral = true;
    for (; *p >= '0' && *p <= '9'; ++p) {
        if (count < 38) {
            if (count > 0 || *p != '0') digits[count++] = *p;
        } else {
            ++scale;
        }
    }
    if (*p == '.') {
        *integral = false;
        ++p;
        if (*p < '0' || *p > '9') return NULL;
        for (; *p >= '0' && *p <= '9'; ++p)
            if (count < 38) {
                if (count > 0 || *p != '0') digits[count++] = *p;
                --scale;
            }
    }
    if (*p == 'e' || *p == 'E') {
        *integral = false;
        ++p;
        int sign = 1;
        long exponent = 0;
        if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
        if (*p < '0' || *p > '9') return NULL;
        for (; *p >= '0' && *p <= '9'; ++p)
            if (exponent < 100000) exponent = exponent * 10 + (*p - '0');
        scale += (int)(sign * exponent);
    }
    /* digits * 10^scale without strtod (whose decimal point is the locale's): correctly
     * rounded for up to 15 significant digits and |scale| <= 22, as params are; within a
     * few ulp beyond. */
    double mantissa = 0.0;
    for (int i = 0; i < count; ++i) mantissa = mantissa * 10.0 + (digits[i] - '0');
    static const double exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double v = mantissa;  /* no libm: a C plugin links nothing for this header */
    for (int s = scale; s > 0; s -= 22) v *= exact[s > 22 ? 22 : s];
    for (int s = -scale; s > 0; s -= 22) v /= exact[s > 22 ? 22 : s];
    *value = negative ? -v : v;
    return p;
}

static inline bool genhost_params_has(const char* json, const char* key) {
    const char* v = genhost_params__find(json, key);
    return v && strncmp(v, "null", 4) != 0;
}

static inline genhost_status genhost_params_get_double(const char* json, const char* key, double* out) {
    const char* v = genhost_params__find(json, key);
    double value = 0.0;
    bool integral = false;
    if (!v || !genhost_params__number(v, &value, &integral)) return GENHOST_ERROR_INVALID_ARGUMENT;
    *out = value;
    return GENHOST_OK;
}

static inline genhost_status genhost_params_get_int(const char* json, const char* key, int64_t* out) {
    const char* v = genhost_params__find(json, key);
    double value = 0.0;
    bool integral = false;
    if (!v || !genhost_params__number(v, &value, &integral)) return GENHOST_ERROR_INVALID_ARGUMENT;
    if (integral) {  /* exactly, beyond double's 2^53 */
        char* end = NULL;
        const long long exact = strtoll(v, &end, 10);
        if (value > 9.3e18 || value < -9.3e18) return GENHOST_ERROR_INVALID_ARGUMENT;
        *out = (int64_t)exact;
        return GENHOST_OK;
    }
    if (value > 9.2e18 || value < -9.2e18 || (double)(int64_t)value != value) return GENHOST_ERROR_INVALID_ARGUMENT;
    *out = (int64_t)value;
    return GENHOST_OK;
}

static inline genhost_status genhost_params_get_bool(const char* json, const char* key, bool* out) {
    const char* v = genhost_params__find(json, key);
    if (!v) return GENHOST_ERROR_INVALID_ARGUMENT;
    const char* end = genhost_params__skip(v);
    if (end == v + 4 && strncmp(v, "true", 4) == 0) *out = true;
    else if (end == v + 5 && strncmp(v, "false", 5) == 0) *out = false;
    else return GENHOST_ERROR_INVALID_ARGUMENT;
    return GENHOST_OK;
}

static inline genhost_status genhost_params_get_string(const char* json, const char* key, char* out,
                                                       size_t capacity) {
    const char* v = genhost_params__find(json, key);
    if (!v || *v != '"' || !out || capacity == 0) return GENHOST_ERROR_INVALID_ARGUMENT;
    if (!genhost_params__string(v, out, capacity, NULL)) {
        out[0] = '\0';
        return GENHOST_ERROR_INVALID_ARGUMENT;
    }
    return GENHOST_OK;
}

#ifdef __cplusplus
}
#endif

#endif /* GENHOST_PARAMS_H */
