// Neural-network layers as functions: convolutions, pooling, upsampling, normalisation,
// embedding, dropout, attention. Weights are passed in; modules.hpp holds them for you.
// Layouts are PyTorch's: images NCHW, conv weight [Cout, Cin/groups, kh, kw],
// transposed-conv weight [Cin, Cout/groups, kh, kw].
#pragma once

#include "genhost/engine/tensor.hpp"

namespace genhost::engine {

class Generator;

struct Conv2dOptions {
    int64_t  stride   = 1;
    int64_t  padding  = 0;
    int64_t  dilation = 1;
    int64_t  groups   = 1;
    // The kernel taps in use, bit ki * kw + kj (kernels of at most 64 taps); the others
    // count as zero weights and get a zero gradient: y = conv(x, w * M), dw = M * dconv/dw.
    // 0: all taps. PixelCNN's masked convolutions pass their mask so: the stride-1 kernels
    // then skip the hidden taps (a 3x3 mask B computes 5 of 9).
    uint64_t taps     = 0;
};
struct ConvTranspose2dOptions {
    int64_t stride         = 1;
    int64_t padding        = 0;
    int64_t output_padding = 0;   // extra rows/cols on the bottom/right, < stride
    int64_t groups         = 1;
    int64_t dilation       = 1;
};

// x [N,Cin,H,W], weight [Cout,Cin/g,kh,kw], bias [Cout] or undefined.
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              Conv2dOptions options = {});
// x [N,Cin,H,W], weight [Cin,Cout/g,kh,kw]: the adjoint (gradient) of conv2d.
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
                        ConvTranspose2dOptions options = {});

// PixelCNN masks (van den Oord et al. 2016): a pixel sees only pixels above it and to its
// left; mask A (first layer) also hides the centre, mask B shows it.
enum class ConvMask { A, B };
Tensor conv_mask(ConvMask type, int64_t out_channels, int64_t in_channels, int64_t kh, int64_t kw);
Tensor masked_conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, ConvMask type,
                     Conv2dOptions options = {});

// Pooling; stride 0 means stride = kernel.
Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);
Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride = 0, int64_t padding = 0);

// Upsampling by an integer factor. Bilinear uses align_corners=false (torch's default).
Tensor upsample_nearest2d(const Tensor& x, int64_t scale);
Tensor upsample_bilinear2d(const Tensor& x, int64_t scale);

// Batch normalisation over N,H,W per channel. training: uses batch statistics and
// updates running_mean/running_var in place (momentum as torch, unbiased running var);
// eval: uses the running statistics. weight/bias may be undefined (no affine).
Tensor batch_norm2d(const Tensor& x, Tensor running_mean, Tensor running_var,
                    const Tensor& weight, const Tensor& bias, bool training,
                    float momentum = 0.1f, float eps = 1e-5f);
// x [N,C,...] normalised within groups of C/groups channels; weight/bias [C] or undefined.
Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& weight, const Tensor& bias,
                  float eps = 1e-5f);
// Normalised over the trailing dims of the shape of weight (or the last dim if undefined).
Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight,
                  const Tensor& bias, float eps = 1e-5f);

// Rows of table [num, dim] picked by integer indices; output shape index_shape + [dim].
Tensor embedding(const Tensor& table, const std::vector<int64_t>& indices, const Shape& index_shape);

// Zeroes each element with probability p and scales the rest by 1/(1-p); identity if !training.
Tensor dropout(const Tensor& x, float p, bool training, Generator& gen);

// softmax(q k^T / sqrt(d)) v for q [..., Lq, d], k [..., Lk, d], v [..., Lk, dv].
Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v);

// Spectral normalisation (Miyato et al. 2018): weight / sigma where sigma is the largest
// singular value of weight viewed as [rows, rest], estimated by power iteration.
// u [rows] is the persistent left vector (a buffer), updated in place when training; v is
// recomputed from u (torch also stores v: in eval the two differ by one half-iteration).
// The gradient flows into weight through sigma with u and v held constant, as torch.
Tensor spectral_norm(const Tensor& weight, Tensor u, int64_t power_iterations = 1,
                     bool training = true, float eps = 1e-12f);

}  // namespace genhost::engine
