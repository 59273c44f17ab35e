// The fit's least squares: one cost function over all residuals, its Jacobian by central
// differences of whole simulations (objective.cpp); covariance and identifiability by SVD.
#include "fit/estimate.hpp"

#include <Eigen/Dense>
#include <chrono>
#include <cmath>
#include <mutex>

#include "model/errors.hpp"

namespace morsim::fit {

namespace {

using Clock = std::chrono::steady_clock;

// All residuals of the fit for the least-squares solver. The last evaluation is cached, so the
// Jacobian the solver asks for at an accepted point does not simulate that point again.
class SimulationCost {
 public:
  SimulationCost(const Objective& obj, double step) : obj_(obj), step_(step) {}

  bool evaluate(const double* xp, double* residuals, double* jacobian) const {
    const std::size_t np = obj_.n_parameters(), nr = obj_.n_residuals();
    const std::vector<double> x(xp, xp + np);
    ModelPoint p;
    {
      const std::lock_guard<std::mutex> lock(mu_);
      if (cached_x_ == x) p = cached_;
    }
    if (jacobian) {
      std::vector<double> jac;
      if (!obj_.jacobian(x, step_, 1.0, p, jac)) return fail(p);
      std::copy(jac.begin(), jac.end(), jacobian);
    } else if (!p.ok || p.residuals.size() != nr) {
      p = obj_.evaluate(x);
      if (!p.ok) return fail(p);
    }
    std::copy(p.residuals.begin(), p.residuals.end(), residuals);
    const std::lock_guard<std::mutex> lock(mu_);
    cached_x_ = x;
    cached_ = std::move(p);
    return true;
  }

  void seed(const std::vector<double>& x, const ModelPoint& p) {
    cached_x_ = x;
    cached_ = p;
  }
  ModelPoint at(const std::vector<double>& x) const {
    {
      const std::lock_guard<std::mutex> lock(mu_);
      if (cached_x_ == x) return cached_;
    }
    return obj_.evaluate(x);
  }
  const std::string& last_failure() const { return last_failure_; }

 private:
  bool fail(const ModelPoint& p) const {
    const std::lock_guard<std::mutex> lock(mu_);
    last_failure_ = p.failure;
    return false;
  }

  const Objective& obj_;
  double step_;
  mutable std::mutex mu_;
  mutable std::vector<double> cached_x_;
  mutable ModelPoint cached_;
  mutable std::string last_failure_;
};

double half_sum_of_squares(const std::vector<double>& r) {
  double s = 0;
  for (double v : r) s += v * v;
  return 0.5 * s;
}

}  // namespace

std::vector<DatasetFit> compare(const FitSpec& spec, const ModelPoint& point) {
  std::vector<DatasetFit> out;
  std::size_t k = 0;
  for (std::size_t di = 0; di < spec.datasets.size(); ++di) {
    const Dataset& d = spec.datasets[di];
    DatasetFit f;
    f.model = point.model[di];
    for (std::size_t j = 0; j < d.rows.size(); ++j, ++k) {
      const double obs = d.rows[j].value, m = f.model[j];
      f.weighted.push_back(point.residuals[k]);
      const double dev =
          d.log ? std::abs(std::log(std::max(m, 1e-300)) - std::log(obs)) : std::abs(m - obs);
      if (j == 0 || dev > f.max_deviation) f.max_deviation = dev, f.worst_row = j;
    }
    f.within_tolerance = std::isnan(d.tolerance) || f.max_deviation <= d.tolerance;
    out.push_back(std::move(f));
  }
  return out;
}

Covariance covariance_from_jacobian(const std::vector<double>& jac, std::size_t n, std::size_t p) {
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const Matrix> J(jac.data(), static_cast<Eigen::Index>(n),
                                   static_cast<Eigen::Index>(p));
  Covariance c;
  c.identified.assign(p, true);
  c.cov.assign(p * p, kNaN);
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(Eigen::MatrixXd(J), Eigen::ComputeFullV);
  const Eigen::VectorXd s = svd.singularValues();
  const Eigen::MatrixXd& V = svd.matrixV();
  const double smax = s.size() > 0 ? s(0) : 0.0;
  for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(p); ++k) {
    const double sk = k < s.size() ? s(k) : 0.0;
    c.singular_values.push_back(sk);
    const bool null = !(sk > 0) || !(smax > 0) || (sk / smax) * (sk / smax) < 1e-12;
    if (!null) continue;
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(p); ++j)
      if (std::abs(V(j, k)) > 0.01) c.identified[static_cast<std::size_t>(j)] = false;
  }
  std::vector<Eigen::Index> keep;
  for (std::size_t j = 0; j < p; ++j)
    if (c.identified[j]) keep.push_back(static_cast<Eigen::Index>(j));
  if (keep.empty()) return c;
  Eigen::MatrixXd Ji(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(keep.size()));
  for (std::size_t a = 0; a < keep.size(); ++a)
    Ji.col(static_cast<Eigen::Index>(a)) = J.col(keep[a]);
  const Eigen::JacobiSVD<Eigen::MatrixXd> si(Ji, Eigen::ComputeThinV);
  const Eigen::VectorXd sv = si.singularValues();
  Eigen::MatrixXd inv_s2 = Eigen::MatrixXd::Zero(sv.size(), sv.size());
  for (Eigen::Index k = 0; k < sv.size(); ++k)
    inv_s2(k, k) = sv(k) > 0 ? 1.0 / (sv(k) * sv(k)) : kInf;
  const Eigen::MatrixXd cov = si.matrixV() * inv_s2 * si.matrixV().transpose();
  for (std::size_t a = 0; a < keep.size(); ++a)
    for (std::size_t b = 0; b < keep.size(); ++b)
      c.cov[static_cast<std::size_t>(keep[a]) * p + static_cast<std::size_t>(keep[b])] =
          cov(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
  return c;
}

FitResult estimate(const FitSpec& spec, const EstimateOptions& opt) {
  const auto t0 = Clock::now();
  const Objective obj(spec, opt.threads);
  const std::size_t np = obj.n_parameters(), nr = obj.n_residuals();
  FitResult r;
  r.threads = obj.threads();
  r.n_residuals = nr;

  std::vector<double> x = obj.initial_x();
  const ModelPoint start = obj.evaluate(x);
  if (!start.ok)
    throw SolverError("the model cannot be evaluated at the initial values: " + start.failure);
  r.objective_start = half_sum_of_squares(start.residuals);

  SimulationCost cost(obj, spec.step);
  cost.seed(x, start);
  LeastSquaresProblem problem;
  problem.n_parameters = np;
  problem.n_residuals = nr;
  const std::vector<double> lo = obj.lower_x(), hi = obj.upper_x();
  problem.lower = lo;
  problem.upper = hi;
  problem.evaluate = [&cost](const double* xp, double* res, double* jac) {
    return cost.evaluate(xp, res, jac);
  };
  problem.progress = opt.progress;
  problem.max_iterations = spec.max_iterations;
  problem.parameter_tolerance = spec.parameter_tolerance;
  problem.function_tolerance = spec.function_tolerance;
  const LeastSquaresSummary summary = solve_least_squares(problem, x);

  r.termination = summary.termination;
  r.message = summary.message;
  if (summary.failed && !cost.last_failure().empty()) r.message += " (" + cost.last_failure() + ")";
  r.converged = summary.converged;
  r.iterations = summary.iterations;

  // The optimum: residuals at the fit's accuracy, the covariance from a finer Jacobian.
  const ModelPoint best = cost.at(x);
  if (!best.ok) throw SolverError("the model cannot be evaluated at the estimate: " + best.failure);
  r.objective = half_sum_of_squares(best.residuals);
  r.datasets = compare(spec, best);
  if (nr > np) r.reduced_chi_square = 2 * r.objective / static_cast<double>(nr - np);
  ModelPoint fine;
  std::vector<double> jac;
  if (!obj.jacobian(x, opt.covariance_step, opt.covariance_tighten, fine, jac))
    throw SolverError("the covariance Jacobian cannot be evaluated at the estimate: " +
                      fine.failure);
  const Covariance cov = covariance_from_jacobian(jac, nr, np);
  r.singular_values = cov.singular_values;
  r.correlation.assign(np * np, kNaN);
  for (std::size_t i = 0; i < np; ++i) {
    const FitParameter& p = spec.parameters[i];
    ParameterEstimate e;
    e.path = p.path;
    e.unit = p.unit;
    e.initial = p.initial;
    e.lower = p.lower;
    e.upper = p.upper;
    e.estimate = obj.to_value(i, x[i]);
    const double near = 1e-9 * (1 + std::abs(x[i]));
    e.at_bound = (std::isfinite(lo[i]) && x[i] <= lo[i] + near) ||
                 (std::isfinite(hi[i]) && x[i] >= hi[i] - near);
    e.identified = cov.identified[i];
    if (e.identified) {
      const double se_x = std::sqrt(cov.cov[i * np + i]);
      // Delta method: d value / d x is the value (log scale) or the scale (linear).
      e.standard_error = p.scale == Scale::kLog ? e.estimate * se_x : se_x * obj.linear_scale(i);
    } else {
      r.not_identified.push_back(p.path);
    }
    for (std::size_t j = 0; j < np; ++j)
      if (cov.identified[i] && cov.identified[j])
        r.correlation[i * np + j] =
            cov.cov[i * np + j] / std::sqrt(cov.cov[i * np + i] * cov.cov[j * np + j]);
    r.parameters.push_back(std::move(e));
  }
  const std::vector<double> values = obj.to_values(x);
  if (opt.curves) r.curves = obj.curves(&values);
  r.simulations = obj.simulations();
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

CheckResult check(const FitSpec& spec, unsigned threads) {
  const auto t0 = Clock::now();
  const Objective obj(spec, threads);
  const ModelPoint p = obj.evaluate_values(nullptr);
  if (!p.ok) throw SolverError(p.failure);
  CheckResult c;
  c.datasets = compare(spec, p);
  for (std::size_t i = 0; i < c.datasets.size(); ++i) {
    const bool known_miss = !spec.datasets[i].disagreement.empty();
    // A documented miss must still miss; anything else must agree.
    c.passed = c.passed && (c.datasets[i].within_tolerance != known_miss);
  }
  c.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return c;
}

}  // namespace morsim::fit
