// Exact propagation of a linear model between events: x(t + h) = E(h) x(t) + G(h) u, with
// E(h) = expm(A h) and G(h) = integral_0^h expm(A s) ds read off expm([[A, I], [0, 0]] h).
//
// Eigen's scaled-and-squared Pade exponential (unsupported MatrixFunctions) is used rather
// than an eigendecomposition: PK matrices are defective whenever two rates coincide (ka = ke,
// or ref-v1-depot's burst release and 6-beta-naltrexol's ke0, both 0.5 /h), where an
// eigenbasis does not exist. The exponentials are cached per step length, which repeats:
// sample spacings, dose intervals, steady-state periods.
#include <cmath>
#include <memory>
#include <unordered_map>
#include <unsupported/Eigen/MatrixFunctions>

#include "solver/integrator.hpp"

namespace morsim {
namespace {

class ExactLinearIntegrator final : public Integrator {
 public:
  const char* method() const override { return "exact-linear"; }
  void restart_step(double /*h*/) override {}

  void integrate(const SegmentSystem& sys, Eigen::VectorXd& x, double t0, double t1,
                 SampleCursor& samples, const SampleFn& record) override {
    ++stats_.segments;
    use_model(sys.model->linear_matrix());
    const bool inputs = !sys.u->isZero(0.0);
    double t = t0;
    while (!samples.done() && samples.peek() < t1) {
      const double s = samples.peek();
      if (s > t) {
        advance(sys, x, inputs, s - t);
        t = s;
      }
      record(s, x);
      ++samples.next;
    }
    if (t1 > t) advance(sys, x, inputs, t1 - t);
    if (!x.allFinite()) fail(t1, x, "non-finite state");
  }

 private:
  struct Propagator {
    Eigen::MatrixXd e;  // expm(A h)
    Eigen::MatrixXd g;  // integral_0^h expm(A s) ds; empty until a segment has inputs
  };

  // A new model (a sweep's integrator is rebuilt with its model, but compare to be sure).
  void use_model(const Eigen::MatrixXd& a) {
    if (a.rows() == a_.rows() && a == a_) return;
    a_ = a;
    cache_.clear();
    last_ = nullptr;
  }

  // The step length rounded to 32 bits of mantissa (relative 2.3e-10), so that sample spacings
  // computed as differences of times (0.1 vs 0.09999999999999964, or 1/120 h at t = 1000 h)
  // share one exponential. advance() corrects for the remainder.
  static double cache_key(double h) {
    int exponent = 0;
    const double m = std::frexp(h, &exponent);
    return std::ldexp(std::round(std::ldexp(m, 32)), exponent - 32);
  }

  const Propagator& propagator(double h, bool inputs) {
    const double key = cache_key(h);
    // Consecutive samples are mostly one output step apart: skip the hash lookup then.
    if (last_ && key == last_key_ && (!inputs || last_->g.size() > 0)) return *last_;
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      if (cache_.size() >= kMaxCached) {  // bounded; results do not depend on it
        cache_.clear();
        last_ = nullptr;
      }
      it = cache_.emplace(key, Propagator{}).first;
      ++stats_.jacobian_evaluations;  // counts the matrix exponentials computed
      if (!inputs) it->second.e = (a_ * key).exp();
    }
    Propagator& p = it->second;
    if (inputs && p.g.size() == 0) {
      // [[A, I], [0, 0]] h: its exponential is [[E, G], [0, I]].
      const Eigen::Index n = a_.rows();
      Eigen::MatrixXd m = Eigen::MatrixXd::Zero(2 * n, 2 * n);
      m.topLeftCorner(n, n) = a_ * key;
      m.topRightCorner(n, n) = Eigen::MatrixXd::Identity(n, n) * key;
      const Eigen::MatrixXd em = m.exp();
      p.e = em.topLeftCorner(n, n);
      p.g = em.topRightCorner(n, n);
      ++stats_.jacobian_evaluations;
    }
    last_key_ = key;
    last_ = &p;  // unordered_map nodes stay put on insertion
    return p;
  }

  void advance(const SegmentSystem& sys, Eigen::VectorXd& x, bool inputs, double h) {
    const Propagator& p = propagator(h, inputs);
    ++stats_.steps;
    if (inputs)
      tmp_.noalias() = p.e * x + p.g * *sys.u;
    else
      tmp_.noalias() = p.e * x;
    x.swap(tmp_);
    // The rest of the step, |d| <= 2.3e-10 h, to first order: the neglected (A d)^2 / 2 is
    // below 1e-12 even for a 168 h step with a 14 /h rate.
    const double d = h - cache_key(h);
    if (d != 0.0) {
      sys.rhs(x, tmp_);
      x += d * tmp_;
    }
  }

  static constexpr std::size_t kMaxCached = 4096;
  Eigen::MatrixXd a_;
  std::unordered_map<double, Propagator> cache_;
  double last_key_ = 0.0;
  const Propagator* last_ = nullptr;
  Eigen::VectorXd tmp_;
};

}  // namespace

std::unique_ptr<Integrator> make_exact_linear() {
  return std::make_unique<ExactLinearIntegrator>();
}

}  // namespace morsim
