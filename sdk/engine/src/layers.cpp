// Embedding, dropout, attention and spectral normalisation: small layers built mostly
// from other ops.
#include <cmath>

#include "kernels.hpp"
#include "genhost/engine/nn.hpp"
#include "genhost/engine/ops.hpp"
#include "genhost/engine/random.hpp"

namespace genhost::engine {

Tensor embedding(const Tensor& table, const std::vector<int64_t>& indices, const Shape& index_shape) {
    if (table.dim() != 2) shape_error("embedding: table must be [num, dim], got " + table.shape_str());
    if (shape_numel(index_shape) != static_cast<int64_t>(indices.size()))
        shape_error("embedding: index_shape " + shape_to_string(index_shape) + " holds " + std::to_string(shape_numel(index_shape)) +
                    " indices, got " + std::to_string(indices.size()));
    const int64_t num = table.size(0), dim = table.size(1);
    for (size_t i = 0; i < indices.size(); ++i)
        if (indices[i] < 0 || indices[i] >= num)
            throw std::invalid_argument("embedding: index[" + std::to_string(i) + "] = " + std::to_string(indices[i]) +
                                        " is outside the table's " + std::to_string(num) + " rows");
    Shape os = index_shape;
    os.push_back(dim);
    Tensor out = Tensor::empty(os);
    for (size_t i = 0; i < indices.size(); ++i)
        std::copy_n(table.data() + indices[i] * dim, dim, out.data() + i * dim);
    return record("embedding", out, {table}, [indices, ts = table.shape(), dim](const Tensor& g) {
        first_order_only("embedding", g);
        Tensor gt = Tensor::zeros(ts);
        for (size_t i = 0; i < indices.size(); ++i) {
            float* dst = gt.data() + indices[i] * dim;
            const float* src = g.data() + i * dim;
            for (int64_t j = 0; j < dim; ++j) dst[j] += src[j];
        }
        return std::vector<Tensor>{gt};
    });
}

Tensor dropout(const Tensor& x, float p, bool training, Generator& gen) {
    if (!(p >= 0.0f && p < 1.0f)) throw std::invalid_argument("dropout: p must be in [0, 1), got " + std::to_string(p));
    if (!training || p == 0.0f) return x;
    Tensor mask = gen.bernoulli(x.shape(), 1.0f - p);
    float* m = mask.data();
    const float keep = 1.0f / (1.0f - p);
    for (int64_t i = 0; i < mask.numel(); ++i) m[i] *= keep;
    return x * mask;
}

Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v) {
    if (q.dim() < 2 || k.dim() != q.dim() || v.dim() != q.dim() || q.size(-1) != k.size(-1) || k.size(-2) != v.size(-2))
        shape_error("scaled_dot_product_attention: q " + q.shape_str() + ", k " + k.shape_str() + ", v " + v.shape_str() +
                    " must be [..., Lq, d], [..., Lk, d], [..., Lk, dv]");
    Tensor scores = matmul_nt(q, k, 1.0f / std::sqrt(static_cast<float>(q.size(-1))));
    return matmul(softmax(scores, -1), v);
}

Tensor spectral_norm(const Tensor& weight, Tensor u, int64_t power_iterations, bool training, float eps) {
    if (weight.dim() < 2) shape_error("spectral_norm: weight must have at least 2 dims, got " + weight.shape_str());
    const int64_t rows = weight.size(0), cols = weight.numel() / rows;
    if (u.dim() != 1 || u.size(0) != rows)
        shape_error(shapes_message("spectral_norm", weight.shape(), u.shape(), "(weight, u) do not match: u must be [weight.size(0)]"));
    const float* W = weight.data();
    std::vector<float> v(cols);
    auto normalize = [eps](float* a, int64_t n) {
        double s = 0;
        for (int64_t i = 0; i < n; ++i) s += double(a[i]) * a[i];
        float inv = 1.0f / std::max(static_cast<float>(std::sqrt(s)), eps);
        for (int64_t i = 0; i < n; ++i) a[i] *= inv;
    };
    auto update_v = [&] {  // v = normalize(W^T u)
        std::fill(v.begin(), v.end(), 0.0f);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) v[c] += W[r * cols + c] * u.data()[r];
        normalize(v.data(), cols);
    };
    if (training) {
        for (int64_t it = 0; it < power_iterations; ++it) {
            update_v();
            float* pu = u.data();  // u = normalize(W v), in place: u is a buffer
            for (int64_t r = 0; r < rows; ++r) {
                double s = 0;
                for (int64_t c = 0; c < cols; ++c) s += double(W[r * cols + c]) * v[c];
                pu[r] = static_cast<float>(s);
            }
            normalize(pu, rows);
        }
    }
    update_v();
    // sigma = u^T W v with u, v constants: its gradient flows into W only, as in the paper.
    Tensor uv = Tensor::empty({rows, cols});
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) uv.data()[r * cols + c] = u.data()[r] * v[c];
    Tensor sigma = sum(reshape(weight, {rows, cols}) * uv);
    return weight / sigma;
}

}  // namespace genhost::engine
