// Picks the architecture (mlp.cpp, dcgan.cpp).
#include <stdexcept>

#include "networks.hpp"

using namespace genhost::engine;

namespace gan {

std::unique_ptr<GeneratorNet> make_mlp_generator(Parameters&, const std::string&, const NetworkShape&, Generator&);
std::unique_ptr<DiscriminatorNet> make_mlp_discriminator(Parameters&, const std::string&, const NetworkShape&,
                                                         Generator&);
std::unique_ptr<GeneratorNet> make_dcgan_generator(Parameters&, const std::string&, const NetworkShape&, Generator&);
std::unique_ptr<DiscriminatorNet> make_dcgan_discriminator(Parameters&, const std::string&, const NetworkShape&,
                                                           Generator&);

std::unique_ptr<GeneratorNet> make_generator(Parameters& p, const std::string& group, const NetworkShape& s,
                                             Generator& init) {
    if (s.architecture == "mlp") return make_mlp_generator(p, group, s, init);
    if (s.architecture == "dcgan") return make_dcgan_generator(p, group, s, init);
    throw std::invalid_argument("architecture '" + s.architecture + "' is not one of mlp, dcgan");
}

std::unique_ptr<DiscriminatorNet> make_discriminator(Parameters& p, const std::string& group, const NetworkShape& s,
                                                     Generator& init) {
    if (s.architecture == "mlp") return make_mlp_discriminator(p, group, s, init);
    if (s.architecture == "dcgan") return make_dcgan_discriminator(p, group, s, init);
    throw std::invalid_argument("architecture '" + s.architecture + "' is not one of mlp, dcgan");
}

}  // namespace gan
