#include "sample/codes.hpp"

#include <algorithm>
#include <cmath>

#include <genhost/cpp/tensor_view.hpp>

#include "sample/latent.hpp"
#include "util/error.hpp"

namespace genhost::sample {

CodeMaps encode_codes(const loader::PluginInstance& q, const Images& images, int64_t batch_size) {
    const genhost_quantizer* t = q.quantizer();
    if (!t) throw Error("plugin '" + q.id() + "' has no genhost.quantizer/1 to encode images into codes");
    CodeMaps out;
    out.n = images.n;
    out.shape = q.code_shape();
    const int64_t per = images.channels * images.height * images.width, per_code = out.shape[0] * out.shape[1] * out.shape[2];
    const int64_t k = q.codebook_size();
    out.codes.assign(static_cast<size_t>(images.n * per_code), -1);
    for (int64_t first = 0; first < images.n; first += batch_size) {
        const int64_t n = std::min(batch_size, images.n - first);
        std::vector<int64_t> ishape = {n, images.channels, images.height, images.width},
                             cshape = {n, out.shape[0], out.shape[1], out.shape[2]};
        DLTensor x = make_dltensor(const_cast<float*>(images.data.data()) + first * per, ishape);
        DLTensor c = make_dltensor(out.codes.data() + first * per_code, cshape);
        q.check(t->encode_codes(q.raw(), &x, &c), "encode_codes");
    }
    for (size_t i = 0; i < out.codes.size(); ++i)
        if (out.codes[i] < 0 || out.codes[i] >= k)
            throw Error("plugin '" + q.id() + "': encode_codes wrote code " + std::to_string(out.codes[i]) +
                        " at element " + std::to_string(i) + ", outside its codebook [0, " + std::to_string(k) + ")");
    return out;
}

Images decode_codes(const loader::PluginInstance& q, const CodeMaps& codes, std::array<int64_t, 3> image_shape,
                    int64_t batch_size) {
    const genhost_quantizer* t = q.quantizer();
    if (!t) throw Error("plugin '" + q.id() + "' has no genhost.quantizer/1 to decode codes into images");
    Images out{codes.n, image_shape[0], image_shape[1], image_shape[2], {}};
    const int64_t per = out.channels * out.height * out.width, per_code = codes.shape[0] * codes.shape[1] * codes.shape[2];
    out.data.assign(static_cast<size_t>(codes.n * per), std::nanf(""));
    for (int64_t first = 0; first < codes.n; first += batch_size) {
        const int64_t n = std::min(batch_size, codes.n - first);
        std::vector<int64_t> ishape = {n, out.channels, out.height, out.width},
                             cshape = {n, codes.shape[0], codes.shape[1], codes.shape[2]};
        DLTensor c = make_dltensor(const_cast<int64_t*>(codes.codes.data()) + first * per_code, cshape);
        DLTensor x = make_dltensor(out.data.data() + first * per, ishape);
        q.check(t->decode_codes(q.raw(), &c, &x), "decode_codes");
    }
    for (size_t i = 0; i < out.data.size(); ++i)
        if (!std::isfinite(out.data[i]))
            throw Error("plugin '" + q.id() + "': decode_codes left pixel " + std::to_string(i) +
                        " unwritten or not finite");
    return out;
}

Images codes_to_levels(const CodeMaps& codes, int64_t levels, float lo, float hi) {
    Images out{codes.n, codes.shape[0], codes.shape[1], codes.shape[2], std::vector<float>(codes.codes.size())};
    const float step = (hi - lo) / static_cast<float>(levels - 1);
    for (size_t i = 0; i < codes.codes.size(); ++i) out.data[i] = lo + static_cast<float>(codes.codes[i]) * step;
    return out;
}

CodeMaps levels_to_codes(const Images& images, int64_t levels, float lo, float hi) {
    CodeMaps out{images.n, {images.channels, images.height, images.width}, std::vector<int64_t>(images.data.size())};
    const float scale = static_cast<float>(levels - 1) / (hi - lo);
    for (size_t i = 0; i < images.data.size(); ++i)
        out.codes[i] = std::clamp<int64_t>(std::lround((images.data[i] - lo) * scale), 0, levels - 1);
    return out;
}

Images code_reconstructions(const loader::PluginInstance& q, const Images& im, int64_t columns) {
    return interleave_rows(im, decode_codes(q, encode_codes(q, im, 64), {im.channels, im.height, im.width}, 64), columns);
}

CodeUsage code_usage(const CodeMaps& codes, int64_t levels) {
    std::vector<double> count(static_cast<size_t>(levels), 0.0);
    for (int64_t c : codes.codes) count[static_cast<size_t>(c)] += 1;
    CodeUsage u;
    double entropy = 0;
    for (double c : count) {
        if (c == 0) continue;
        ++u.used;
        const double p = c / static_cast<double>(codes.codes.size());
        entropy -= p * std::log(p);
    }
    u.perplexity = std::exp(entropy);
    return u;
}

}  // namespace genhost::sample
