// LU factorisation with partial pivoting for the small dense systems of the Rosenbrock stages.
//
// For the 10-30 states of a morsim model, Eigen's PartialPivLU spends most of its time in the
// blocked-algorithm and GEMM machinery built for large matrices; these plain loops do the same
// arithmetic (Golub & Van Loan, Algorithm 3.4.1) with none of that overhead, and measured
// about twice as fast per Rosenbrock step on ref-v1.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <vector>

namespace morsim {

class SmallLu {
 public:
  // Factorises `a` (n x n, column-major) in place of a copy. Returns false if singular.
  bool compute(const Eigen::MatrixXd& a) {
    n_ = a.rows();
    lu_ = a;
    piv_.resize(static_cast<std::size_t>(n_));
    double* m = lu_.data();
    for (Eigen::Index k = 0; k < n_; ++k) {
      Eigen::Index p = k;
      double best = std::abs(m[k + k * n_]);
      for (Eigen::Index i = k + 1; i < n_; ++i)
        if (std::abs(m[i + k * n_]) > best) best = std::abs(m[i + k * n_]), p = i;
      piv_[static_cast<std::size_t>(k)] = p;
      if (best == 0.0) return false;
      if (p != k)
        for (Eigen::Index j = 0; j < n_; ++j) std::swap(m[k + j * n_], m[p + j * n_]);
      const double inv = 1.0 / m[k + k * n_];
      for (Eigen::Index i = k + 1; i < n_; ++i) m[i + k * n_] *= inv;
      for (Eigen::Index j = k + 1; j < n_; ++j) {
        const double akj = m[k + j * n_];
        if (akj == 0.0) continue;  // the model's Jacobian is mostly zeros
        double* col = m + j * n_;
        const double* lcol = m + k * n_;
        for (Eigen::Index i = k + 1; i < n_; ++i) col[i] -= lcol[i] * akj;
      }
    }
    return true;
  }

  // x = A^-1 b.
  void solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) const {
    x = b;
    const double* m = lu_.data();
    for (Eigen::Index k = 0; k < n_; ++k) {
      const Eigen::Index p = piv_[static_cast<std::size_t>(k)];
      if (p != k) std::swap(x[k], x[p]);
    }
    for (Eigen::Index j = 0; j < n_; ++j) {  // L y = P b, unit diagonal
      const double xj = x[j];
      if (xj == 0.0) continue;
      for (Eigen::Index i = j + 1; i < n_; ++i) x[i] -= m[i + j * n_] * xj;
    }
    for (Eigen::Index j = n_ - 1; j >= 0; --j) {  // U x = y
      x[j] /= m[j + j * n_];
      const double xj = x[j];
      if (xj == 0.0) continue;
      for (Eigen::Index i = 0; i < j; ++i) x[i] -= m[i + j * n_] * xj;
    }
  }

 private:
  Eigen::Index n_ = 0;
  Eigen::MatrixXd lu_;
  std::vector<Eigen::Index> piv_;
};

}  // namespace morsim
