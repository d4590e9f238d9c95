#include "sample/translate.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <algorithm>

#include "util/error.hpp"

namespace genhost::sample {

uint32_t translate_direction(const std::string& name) {
    if (name == "a_to_b") return GENHOST_TRANSLATE_A_TO_B;
    if (name == "b_to_a") return GENHOST_TRANSLATE_B_TO_A;
    throw Error("translate direction '" + name + "' is neither a_to_b nor b_to_a");
}

Images translate(const loader::PluginInstance& model, const Images& x, uint32_t direction, int64_t batch_size) {
    const genhost_translator* t = model.translator();
    if (!t) throw Error("plugin '" + model.id() + "' cannot translate (it has no " GENHOST_EXT_TRANSLATOR ")");
    const int64_t per = x.channels * x.height * x.width;
    Images out{x.n, x.channels, x.height, x.width, std::vector<float>(x.data.size())};
    for (int64_t first = 0; first < x.n; first += batch_size) {
        const int64_t n = std::min(batch_size, x.n - first);
        std::vector<int64_t> shape = {n, x.channels, x.height, x.width};
        DLTensor in = make_dltensor(const_cast<float*>(x.data.data()) + first * per, shape);
        DLTensor result = make_dltensor(out.data.data() + first * per, shape);
        model.check(t->translate(model.raw(), direction, &in, &result), "translate");
    }
    return out;
}

}  // namespace genhost::sample
