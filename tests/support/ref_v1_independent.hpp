// ref-v1 written out equation by equation from docs/reference-model.md and solved with
// Boost.Odeint's own uBLAS rosenbrock4 at tight tolerance: an independent check of morsim's
// model assembly, event handling and Eigen Rosenbrock integrator.
#pragma once

#include <array>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <utility>
#include <vector>

namespace morsim::testing {

struct RefV1Solution {
  std::vector<double> t_h;
  std::vector<std::array<double, 5>> conc_nM;  // H, M, O, N, X plasma
  std::vector<std::array<double, 5>> occ;      // theta H, M, O, N, X
};

struct RefV1Dose {
  double t_h;
  int kind;  // 0 heroin IV, 1 naltrexone oral, 2 naltrexone depot
  double mg;
};

namespace ref_v1_detail {
namespace ublas = boost::numeric::ublas;
using Vec = ublas::vector<double>;
using Mat = ublas::matrix<double>;
// States: 0 A_H 1 A_M 2 A_O 3 D1 4 D2 5 G 6 A_N 7 A_X 8-12 Ce_H..X 13-17 th_H..X
constexpr double V[5] = {140, 300, 250, 1350, 1000};
constexpr double kH = 13.9, kM = 2.3, kO = 0.28, kN = 0.17, kX = 0.053;
constexpr double F = 0.2, ka_oral = 1.2, fm = 0.9, fpm = 0.8, ka_burst = 0.5, ka_slow = 0.0044;
constexpr double ke0[5] = {10, 6, 0.25, 2, 0.5};
constexpr double kon[5] = {12, 30, 16.7, 6, 3};
constexpr double koff[5] = {60, 30, 20, 1.2, 6};
constexpr int kAmount[5] = {0, 1, 2, 6, 7};

struct Rhs {
  void operator()(const Vec& x, Vec& d, double) const {
    d(0) = -kH * x(0);
    d(1) = kH * x(0) - kM * x(1);
    d(2) = kM * x(1) - kO * x(2);
    d(3) = -ka_burst * x(3);
    d(4) = -ka_slow * x(4);
    d(5) = -ka_oral * x(5);
    d(6) = ka_burst * x(3) + ka_slow * x(4) + F * ka_oral * x(5) - kN * x(6);
    d(7) = fm * kN * x(6) + (1 - F) * fpm * ka_oral * x(5) - kX * x(7);
    double sum = 0;
    for (int i = 0; i < 5; ++i) sum += x(13 + i);
    for (int i = 0; i < 5; ++i) {
      d(8 + i) = ke0[i] * (x(kAmount[i]) / V[i] - x(8 + i));
      d(13 + i) = kon[i] * x(8 + i) * (1 - sum) - koff[i] * x(13 + i);
    }
  }
};

struct Jac {
  void operator()(const Vec& x, Mat& j, double, Vec& dfdt) const {
    j.clear();
    dfdt.clear();
    j(0, 0) = -kH;
    j(1, 0) = kH, j(1, 1) = -kM;
    j(2, 1) = kM, j(2, 2) = -kO;
    j(3, 3) = -ka_burst;
    j(4, 4) = -ka_slow;
    j(5, 5) = -ka_oral;
    j(6, 3) = ka_burst, j(6, 4) = ka_slow, j(6, 5) = F * ka_oral, j(6, 6) = -kN;
    j(7, 6) = fm * kN, j(7, 5) = (1 - F) * fpm * ka_oral, j(7, 7) = -kX;
    double sum = 0;
    for (int i = 0; i < 5; ++i) sum += x(13 + i);
    for (int i = 0; i < 5; ++i) {
      j(8 + i, kAmount[i]) = ke0[i] / V[i];
      j(8 + i, 8 + i) = -ke0[i];
      j(13 + i, 8 + i) = kon[i] * (1 - sum);
      for (int k = 0; k < 5; ++k) j(13 + i, 13 + k) = -kon[i] * x(8 + i);
      j(13 + i, 13 + i) -= koff[i];
    }
  }
};
}  // namespace ref_v1_detail

// Solves ref-v1 with the given doses on t = 0, dt, ..., t_end; restarts exactly at each dose.
inline RefV1Solution solve_ref_v1_independently(std::vector<RefV1Dose> doses, double t_end_h,
                                                double dt_h = 0.1, double rtol = 1e-10,
                                                double atol = 1e-14) {
  using namespace ref_v1_detail;
  namespace odeint = boost::numeric::odeint;
  const double mw[3] = {369.41, 341.41, 341.41};
  std::sort(doses.begin(), doses.end(), [](auto& a, auto& b) { return a.t_h < b.t_h; });
  Vec x(18);
  x.clear();
  RefV1Solution out;
  const int n_out = static_cast<int>(std::lround(t_end_h / dt_h)) + 1;
  std::vector<double> times;
  for (int i = 0; i < n_out; ++i) times.push_back(i * dt_h);
  std::size_t next_sample = 0, next_dose = 0;
  double t = 0.0;
  auto record = [&](const Vec& s, double ts) {
    out.t_h.push_back(ts);
    std::array<double, 5> c{}, o{};
    for (int i = 0; i < 5; ++i) c[i] = s(kAmount[i]) / V[i], o[i] = s(13 + i);
    out.conc_nM.push_back(c);
    out.occ.push_back(o);
  };
  while (true) {
    while (next_dose < doses.size() && doses[next_dose].t_h <= t) {
      const RefV1Dose& d = doses[next_dose++];
      const double nmol = d.mg * 1e6 / mw[d.kind == 0 ? 0 : 1];
      if (d.kind == 0) x(0) += nmol;
      if (d.kind == 1) x(5) += nmol;
      if (d.kind == 2) x(3) += 0.05 * nmol, x(4) += 0.95 * nmol;
    }
    while (next_sample < times.size() && times[next_sample] <= t) record(x, times[next_sample++]);
    if (next_sample >= times.size()) break;
    const double t_stop =
        next_dose < doses.size() ? std::min(doses[next_dose].t_h, t_end_h) : t_end_h;
    std::vector<double> seg{t};
    while (next_sample < times.size() && times[next_sample] < t_stop)
      seg.push_back(times[next_sample++]);
    seg.push_back(t_stop);
    std::vector<std::pair<double, Vec>> got;
    odeint::integrate_times(odeint::make_dense_output(atol, rtol, odeint::rosenbrock4<double>()),
                            std::make_pair(Rhs(), Jac()), x, seg.begin(), seg.end(), 1e-4,
                            [&](const Vec& s, double ts) { got.emplace_back(ts, s); });
    for (std::size_t i = 1; i + 1 < got.size(); ++i) record(got[i].second, got[i].first);
    t = t_stop;
    if (t >= t_end_h && next_dose >= doses.size()) {
      while (next_sample < times.size()) record(x, times[next_sample++]);
      break;
    }
  }
  return out;
}

}  // namespace morsim::testing
