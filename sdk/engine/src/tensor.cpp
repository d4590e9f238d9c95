// Tensor: storage, construction, accessors.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>

#include "internal.hpp"
#include "genhost/engine/ops.hpp"

namespace genhost::engine {

// Large buffers are recycled through a small cache: a fresh buffer from the OS costs a
// page fault and a kernel-zeroed page per 4 KB, which doubled the time of elementwise ops;
// a training step allocates the same sizes every iteration. Bounded, by size.
namespace {
constexpr size_t kCacheMin = 64 * 1024;            // smaller ones come from malloc's own bins
constexpr size_t kCacheLimit = 256u * 1024 * 1024;  // bytes held while unused, at most
constexpr size_t kReuseFactor = 4;                  // a free buffer serves sizes down to a quarter of its own

struct BufferCache {
    std::mutex mutex;
    std::multimap<size_t, void*> free;  // bytes -> buffer
    size_t bytes = 0;
};
BufferCache& cache() {
    static BufferCache* c = new BufferCache;  // never destroyed: tensors may outlive statics
    return *c;
}
size_t rounded_bytes(int64_t n) {
    size_t b = static_cast<size_t>(std::max<int64_t>(n, 1)) * sizeof(float);
    return b >= kCacheMin ? (b + 4095) / 4096 * 4096 : (b + 63) / 64 * 64;
}
}  // namespace

Storage::Storage(int64_t n) : size(n), bytes(rounded_bytes(n)) {
    if (bytes >= kCacheMin) {
        BufferCache& c = cache();
        std::lock_guard<std::mutex> lock(c.mutex);
        // The smallest free buffer that fits, up to 4x the size: exact sizes only kept
        // one set of buffers per size, each as many as that size ever had live at once (a
        // DCGAN training step peaked at 85 MB resident so, 71 MB now; torch 70-77 MB).
        auto it = c.free.lower_bound(bytes);
        if (it != c.free.end() && it->first <= kReuseFactor * bytes) {
            ptr = static_cast<float*>(it->second);
            bytes = it->first;
            c.free.erase(it);
            c.bytes -= bytes;
            return;
        }
        // A miss: give back as many of the cached buffers too small for this one as the
        // new buffer takes, so that memory moves from the cache to the new size instead of
        // the cache holding every size the step ever used on top of its live tensors.
        size_t returned = 0;
        for (auto small = c.free.begin(); small != c.free.end() && small->first < bytes && returned < bytes;) {
            returned += small->first;
            c.bytes -= small->first;
            std::free(small->second);
            small = c.free.erase(small);
        }
    }
    ptr = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (!ptr) throw std::bad_alloc();
}

Storage::~Storage() {
    if (bytes >= kCacheMin) {
        BufferCache& c = cache();
        std::lock_guard<std::mutex> lock(c.mutex);
        if (c.bytes + bytes <= kCacheLimit) {
            c.free.emplace(bytes, ptr);
            c.bytes += bytes;
            return;
        }
    }
    std::free(ptr);
}

void release_cached_memory() {
    BufferCache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto& [bytes, p] : c.free) std::free(p);
    c.free.clear();
    c.bytes = 0;
}

int64_t cached_memory_bytes() {
    BufferCache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    return static_cast<int64_t>(c.bytes);
}

int64_t shape_numel(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) {
        if (d < 0) shape_error("tensor: negative dimension in shape " + shape_to_string(s));
        if (d > 0 && n > (int64_t(1) << 40) / d)  // 4 TB of floats: a corrupt shape, not a model
            shape_error("tensor: shape " + shape_to_string(s) + " has more than 2^40 elements");
        n *= d;
    }
    return n;
}

std::vector<int64_t> contiguous_strides(const Shape& s) {
    std::vector<int64_t> st(s.size());
    int64_t acc = 1;
    for (size_t i = s.size(); i-- > 0;) { st[i] = acc; acc *= s[i]; }
    return st;
}

std::string shape_to_string(const Shape& shape) {
    std::ostringstream os;
    os << '[';
    for (size_t i = 0; i < shape.size(); ++i) os << (i ? "," : "") << shape[i];
    os << ']';
    return os.str();
}

void shape_error(const std::string& message) { throw std::invalid_argument(message); }

std::string shapes_message(const char* op, const Shape& a, const Shape& b, const char* what) {
    return std::string(op) + ": shapes " + shape_to_string(a) + " and " + shape_to_string(b) + " " + what;
}

int64_t normalize_dim(const char* op, int64_t dim, int64_t ndim) {
    int64_t d = dim < 0 ? dim + ndim : dim;
    if (d < 0 || d >= ndim)
        shape_error(std::string(op) + ": dim " + std::to_string(dim) + " is out of range for a " +
                    std::to_string(ndim) + "-d tensor");
    return d;
}

Tensor Tensor::empty(const Shape& shape) {
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = shape;
    impl->numel = shape_numel(shape);
    impl->storage = std::make_shared<Storage>(impl->numel);
    return Tensor(impl);
}
Tensor Tensor::zeros(const Shape& shape) { return full(shape, 0.0f); }
Tensor Tensor::ones(const Shape& shape) { return full(shape, 1.0f); }
Tensor Tensor::full(const Shape& shape, float value) {
    Tensor t = empty(shape);
    std::fill_n(t.data(), t.numel(), value);
    return t;
}
Tensor Tensor::scalar(float value) { return full({}, value); }
Tensor Tensor::from_vector(const Shape& shape, std::vector<float> values) {
    Tensor t = empty(shape);
    if (static_cast<int64_t>(values.size()) != t.numel())
        shape_error("Tensor::from_vector: shape " + shape_to_string(shape) + " needs " +
                    std::to_string(t.numel()) + " values, got " + std::to_string(values.size()));
    std::copy(values.begin(), values.end(), t.data());
    return t;
}

static TensorImpl& checked(const std::shared_ptr<TensorImpl>& p) {
    if (!p) throw std::logic_error("genhost::engine: use of an undefined Tensor");
    return *p;
}

const Shape& Tensor::shape() const { return checked(impl_).shape; }
int64_t Tensor::dim() const { return static_cast<int64_t>(shape().size()); }
int64_t Tensor::size(int64_t d) const { return shape()[normalize_dim("size", d, dim())]; }
int64_t Tensor::numel() const { return checked(impl_).numel; }
float* Tensor::data() { auto& i = checked(impl_); return i.storage->ptr + i.offset; }
const float* Tensor::data() const { auto& i = checked(impl_); return i.storage->ptr + i.offset; }
float Tensor::item() const {
    if (numel() != 1)
        shape_error("item: expected a one-element tensor, got shape " + shape_str());
    return data()[0];
}
std::vector<float> Tensor::to_vector() const { return std::vector<float>(data(), data() + numel()); }
std::string Tensor::shape_str() const { return shape_to_string(shape()); }

bool Tensor::requires_grad() const { return impl_ && impl_->requires_grad; }
Tensor& Tensor::set_requires_grad(bool on) {
    auto& i = checked(impl_);
    if (i.node && !on)
        throw std::logic_error("set_requires_grad(false) on a non-leaf tensor: use detach()");
    i.requires_grad = on;
    return *this;
}
Tensor Tensor::grad() const { return Tensor(checked(impl_).grad); }
void Tensor::zero_grad() {
    auto& i = checked(impl_);
    if (i.grad) std::fill_n(i.grad->storage->ptr + i.grad->offset, i.grad->numel, 0.0f);
}
bool Tensor::is_leaf() const { return checked(impl_).node == nullptr; }
Tensor Tensor::detach() const {
    auto& i = checked(impl_);
    auto d = std::make_shared<TensorImpl>();
    d->storage = i.storage;
    d->offset = i.offset;
    d->shape = i.shape;
    d->numel = i.numel;
    return Tensor(d);
}
Tensor Tensor::clone() const {
    Tensor t = empty(shape());
    std::copy_n(data(), numel(), t.data());
    return t;
}

}  // namespace genhost::engine
