/* genhost/params.h: typed reads of a flat params object, in C11 (pedantic, -Werror). */
#include <genhost/params.h>

#include <locale.h>
#include <stdio.h>

static int failures = 0;
#define EXPECT(cond)                                                              \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);   \
            ++failures;                                                           \
        }                                                                         \
    } while (0)

int main(void) {
    /* As the host sends it (nlohmann::json::dump: compact, keys sorted), and pretty. */
    const char* compact =
        "{\"beta_end\":0.012,\"center\":true,\"count\":-42,\"big\":9007199254740993,\"half\":2.5,"
        "\"label\":\"gr\\\"ay \\u00e9\\ud83d\\ude00\",\"list\":[1,{\"count\":7},\"]\"],"
        "\"nested\":{\"x\":{\"y\":[]}},\"nothing\":null,\"off\":false,\"whole\":3.0,\"tiny\":1e-4}";
    const char* pretty = "{\n  \"count\" : 5 ,\n  \"scale\" : -1.25E+2\n}\n";
    int64_t i = 0;
    double d = 0.0;
    bool b = false;
    char s[64];

    EXPECT(genhost_params_get_int(compact, "count", &i) == GENHOST_OK && i == -42);
    EXPECT(genhost_params_get_int(compact, "big", &i) == GENHOST_OK && i == 9007199254740993LL);
    EXPECT(genhost_params_get_int(compact, "whole", &i) == GENHOST_OK && i == 3);
    EXPECT(genhost_params_get_int(compact, "half", &i) == GENHOST_ERROR_INVALID_ARGUMENT && i == 3);
    EXPECT(genhost_params_get_int(compact, "label", &i) == GENHOST_ERROR_INVALID_ARGUMENT);
    EXPECT(genhost_params_get_double(compact, "beta_end", &d) == GENHOST_OK && d == 0.012);
    EXPECT(genhost_params_get_double(compact, "tiny", &d) == GENHOST_OK && d == 0.0001);
    EXPECT(genhost_params_get_double(compact, "count", &d) == GENHOST_OK && d == -42.0);
    EXPECT(genhost_params_get_bool(compact, "center", &b) == GENHOST_OK && b);
    EXPECT(genhost_params_get_bool(compact, "off", &b) == GENHOST_OK && !b);
    EXPECT(genhost_params_get_bool(compact, "count", &b) == GENHOST_ERROR_INVALID_ARGUMENT);
    EXPECT(genhost_params_get_string(compact, "label", s, sizeof s) == GENHOST_OK &&
           strcmp(s, "gr\"ay \xc3\xa9\xf0\x9f\x98\x80") == 0);
    EXPECT(genhost_params_get_string(compact, "label", s, 4) == GENHOST_ERROR_INVALID_ARGUMENT);
    EXPECT(genhost_params_get_string(compact, "count", s, sizeof s) == GENHOST_ERROR_INVALID_ARGUMENT);
    /* Only top-level keys: "count" inside "list" and "x" inside "nested" are not seen. */
    EXPECT(genhost_params_get_int(compact, "x", &i) == GENHOST_ERROR_INVALID_ARGUMENT);
    EXPECT(genhost_params_get_int(compact, "missing", &i) == GENHOST_ERROR_INVALID_ARGUMENT);
    EXPECT(genhost_params_has(compact, "label") && !genhost_params_has(compact, "nothing") &&
           !genhost_params_has(compact, "missing"));
    EXPECT(genhost_params_get_int(pretty, "count", &i) == GENHOST_OK && i == 5);
    EXPECT(genhost_params_get_double(pretty, "scale", &d) == GENHOST_OK && d == -125.0);
    EXPECT(genhost_params_get_int("[1, 2]", "count", &i) == GENHOST_ERROR_INVALID_ARGUMENT);
    EXPECT(genhost_params_get_int("{\"count\": ", "count", &i) == GENHOST_ERROR_INVALID_ARGUMENT);
    EXPECT(genhost_params_get_int(NULL, "count", &i) == GENHOST_ERROR_INVALID_ARGUMENT);
    /* A locale whose decimal point is a comma changes nothing. */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8"))
        EXPECT(genhost_params_get_double(compact, "beta_end", &d) == GENHOST_OK && d == 0.012);
    if (failures == 0) printf("genhost/params.h: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
