// Block triangular form by Tarjan's strongly connected components, then dense LU per block.
#include "solver/block_triangular_lu.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

// Not vectorised (GCC): the column updates of a 2-5 state block would load pairs of values that
// were just stored one by one and stall on store forwarding; scalar code is 11% faster overall.
#if defined(__GNUC__) && !defined(__clang__)
#define MORSIM_SCALAR_LOOPS __attribute__((optimize("no-tree-vectorize")))
#else
#define MORSIM_SCALAR_LOOPS
#endif

namespace morsim {
namespace {

// Tarjan (1972). Edges i -> j mean "row i needs x_j". A component is emitted only after every
// component it can reach, so the emission order is a valid forward-substitution order.
class StrongComponents {
 public:
  explicit StrongComponents(const std::vector<std::vector<int>>& needs)
      : needs_(needs),
        index_(needs.size(), -1),
        low_(needs.size(), 0),
        on_stack_(needs.size(), false) {
    for (int v = 0; v < static_cast<int>(needs.size()); ++v)
      if (index_[static_cast<std::size_t>(v)] < 0) visit(v);
  }
  std::vector<std::vector<int>> components;

 private:
  void visit(int v) {
    const auto vs = static_cast<std::size_t>(v);
    index_[vs] = low_[vs] = next_++;
    stack_.push_back(v);
    on_stack_[vs] = true;
    for (int w : needs_[vs]) {
      const auto ws = static_cast<std::size_t>(w);
      if (index_[ws] < 0) {
        visit(w);
        low_[vs] = std::min(low_[vs], low_[ws]);
      } else if (on_stack_[ws]) {
        low_[vs] = std::min(low_[vs], index_[ws]);
      }
    }
    if (low_[vs] != index_[vs]) return;
    std::vector<int> component;
    int w = -1;
    do {
      w = stack_.back();
      stack_.pop_back();
      on_stack_[static_cast<std::size_t>(w)] = false;
      component.push_back(w);
    } while (w != v);
    std::sort(component.begin(), component.end());
    components.push_back(std::move(component));
  }

  const std::vector<std::vector<int>>& needs_;
  std::vector<int> index_, low_, stack_;
  std::vector<bool> on_stack_;
  int next_ = 0;
};

}  // namespace

void BlockTriangularLu::analyse(Eigen::Index n, const std::vector<std::pair<int, int>>& nonzeros) {
  if (n <= 0) throw std::invalid_argument("BlockTriangularLu: empty system");
  const auto un = static_cast<std::size_t>(n);
  std::vector<std::vector<int>> needs(un);
  for (const auto& [row, col] : nonzeros) {
    if (row < 0 || col < 0 || row >= n || col >= n)
      throw std::invalid_argument("BlockTriangularLu: entry outside the matrix");
    if (row != col) needs[static_cast<std::size_t>(row)].push_back(col);
  }
  for (auto& v : needs) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  const StrongComponents scc(needs);

  n_ = n;
  order_.clear();
  blocks_.clear();
  couplings_.clear();
  std::vector<int> block_of(un, 0), local_of(un, 0);
  std::size_t lu_size = 0;
  for (const std::vector<int>& component : scc.components) {
    Block b;
    b.begin = static_cast<int>(order_.size());
    b.size = static_cast<int>(component.size());
    b.lu_offset = lu_size;
    lu_size += component.size() * component.size();
    for (std::size_t a = 0; a < component.size(); ++a) {
      const auto s = static_cast<std::size_t>(component[a]);
      block_of[s] = static_cast<int>(blocks_.size());
      local_of[s] = static_cast<int>(a);
      order_.push_back(component[a]);
    }
    blocks_.push_back(b);
  }
  for (Block& b : blocks_) {
    b.coupling_begin = couplings_.size();
    for (int a = 0; a < b.size; ++a) {
      const int row = order_[static_cast<std::size_t>(b.begin + a)];
      for (int col : needs[static_cast<std::size_t>(row)])
        if (block_of[static_cast<std::size_t>(col)] != block_of[static_cast<std::size_t>(row)])
          couplings_.push_back({a, row, col, 0.0});
    }
    b.coupling_end = couplings_.size();
  }
  lu_.assign(lu_size, 0.0);
  piv_.assign(un, 0);
  work_.assign(un, 0.0);

  nonzeros_ = nonzeros;
  values_.assign(nonzeros.size(), 0.0);
  destination_.clear();
  for (const auto& [row, col] : nonzeros) {
    const auto r = static_cast<std::size_t>(row), c = static_cast<std::size_t>(col);
    const Block& b = blocks_[static_cast<std::size_t>(block_of[r])];
    if (block_of[c] == block_of[r]) {
      destination_.push_back(static_cast<std::ptrdiff_t>(
          b.lu_offset + static_cast<std::size_t>(local_of[r] + local_of[c] * b.size)));
      continue;
    }
    std::size_t k = b.coupling_begin;
    while (couplings_[k].row != row || couplings_[k].col != col) ++k;
    destination_.push_back(-static_cast<std::ptrdiff_t>(k) - 1);
  }
}

int BlockTriangularLu::largest_block() const {
  int m = 0;
  for (const Block& b : blocks_) m = std::max(m, b.size);
  return m;
}

bool BlockTriangularLu::compute_shifted(const Eigen::MatrixXd& w, double shift, double scale) {
  if (w.rows() != n_ || w.cols() != n_)
    throw std::invalid_argument("BlockTriangularLu: matrix size differs from the analysed one");
  for (std::size_t k = 0; k < nonzeros_.size(); ++k)
    values_[k] = w(nonzeros_[k].first, nonzeros_[k].second);
  return compute_from_values(values_.data(), shift, scale);
}

bool BlockTriangularLu::compute_from_values(const double* j_values, double shift, double scale) {
  std::fill(lu_.begin(), lu_.end(), 0.0);
  for (const Block& b : blocks_)
    for (int k = 0; k < b.size; ++k)
      lu_[b.lu_offset + static_cast<std::size_t>(k * (b.size + 1))] = shift;
  for (Coupling& c : couplings_) c.value = 0.0;
  for (std::size_t k = 0; k < destination_.size(); ++k) {
    const std::ptrdiff_t d = destination_[k];
    if (d >= 0)
      lu_[static_cast<std::size_t>(d)] += scale * j_values[k];
    else
      couplings_[static_cast<std::size_t>(-d - 1)].value += scale * j_values[k];
  }
  return factorise_blocks();
}

bool BlockTriangularLu::factorise_blocks() {
  for (const Block& b : blocks_) {
    const int s = b.size;
    double* m = lu_.data() + b.lu_offset;
    if (s == 1) {  // most blocks: one compartment
      if (!(std::abs(m[0]) > 0.0)) return false;
      m[0] = 1.0 / m[0];
      continue;
    }
    // Partial-pivot LU of the block (Golub & Van Loan, Algorithm 3.4.1).
    for (int k = 0; k < s; ++k) {
      int p = k;
      double best = std::abs(m[k + k * s]);
      for (int i = k + 1; i < s; ++i)
        if (std::abs(m[i + k * s]) > best) best = std::abs(m[i + k * s]), p = i;
      piv_[static_cast<std::size_t>(b.begin + k)] = p;
      if (!(best > 0.0)) return false;  // zero or NaN pivot
      if (p != k)
        for (int j = 0; j < s; ++j) std::swap(m[k + j * s], m[p + j * s]);
      const double inv = 1.0 / m[k + k * s];
      for (int i = k + 1; i < s; ++i) m[i + k * s] *= inv;
      for (int j = k + 1; j < s; ++j) {
        const double akj = m[k + j * s];
        if (akj == 0.0) continue;
        for (int i = k + 1; i < s; ++i) m[i + j * s] -= m[i + k * s] * akj;
      }
    }
    // The solves multiply by the reciprocal pivots: a division's latency dominated them.
    for (int k = 0; k < s; ++k) m[k + k * s] = 1.0 / m[k + k * s];
  }
  return true;
}

// One block of s states after the earlier ones: r = b - couplings, then P, L and U, in r.
template <class Size>
MORSIM_SCALAR_LOOPS inline void BlockTriangularLu::solve_block(const Block& blk, const double* bp,
                                                               double* xp, double* r,
                                                               Size s) const {
  const int* idx = order_.data() + blk.begin;
  const double* m = lu_.data() + blk.lu_offset;
  const int* piv = piv_.data() + blk.begin;
  const Coupling* cp = couplings_.data();
  for (int a = 0; a < s; ++a) r[a] = bp[idx[a]];
  for (std::size_t c = blk.coupling_begin; c < blk.coupling_end; ++c)
    r[cp[c].local_row] -= cp[c].value * xp[cp[c].col];
  for (int k = 0; k < s; ++k)
    if (piv[k] != k) std::swap(r[k], r[piv[k]]);
  for (int j = 0; j < s; ++j) {  // L y = P r, unit diagonal
    const double rj = r[j];
    for (int i = j + 1; i < s; ++i) r[i] -= m[i + j * s] * rj;
  }
  for (int j = s - 1; j >= 0; --j) {  // U z = y; the diagonal holds 1/u_jj
    r[j] *= m[j + j * s];
    const double rj = r[j];
    for (int i = 0; i < j; ++i) r[i] -= m[i + j * s] * rj;
  }
  for (int a = 0; a < s; ++a) xp[idx[a]] = r[a];
}

template <int S>
MORSIM_SCALAR_LOOPS void BlockTriangularLu::solve_fixed(const Block& blk, const double* bp,
                                                        double* xp) const {
  double r[S];  // a constant size: unrolled, in registers
  solve_block(blk, bp, xp, r, std::integral_constant<int, S>{});
}

MORSIM_SCALAR_LOOPS void BlockTriangularLu::solve(const Eigen::VectorXd& b,
                                                  Eigen::VectorXd& x) const {
  if (x.size() != n_) x.resize(n_);
  // Raw pointers: the compiler may then keep the tables in registers across the stores to x.
  const double* bp = b.data();
  double* xp = x.data();
  const Coupling* cp = couplings_.data();
  const int* order = order_.data();
  const double* lu = lu_.data();
  for (const Block& blk : blocks_) {
    const int s = blk.size;
    const int* idx = order + blk.begin;
    const double* m = lu + blk.lu_offset;
    // Earlier blocks are solved already and x of this block is not written yet: b may be x.
    if (s == 1) {  // most blocks: one compartment
      double r0 = bp[idx[0]];
      for (std::size_t c = blk.coupling_begin; c < blk.coupling_end; ++c)
        r0 -= cp[c].value * xp[cp[c].col];
      xp[idx[0]] = r0 * m[0];
      continue;
    }
    switch (s) {  // the block's values in registers: its size a constant
      case 2:
        solve_fixed<2>(blk, bp, xp);
        continue;
      case 3:
        solve_fixed<3>(blk, bp, xp);
        continue;
      case 4:
        solve_fixed<4>(blk, bp, xp);
        continue;
      case 5:
        solve_fixed<5>(blk, bp, xp);
        continue;
      case 6:
        solve_fixed<6>(blk, bp, xp);
        continue;
      default:
        break;
    }
    solve_block(blk, bp, xp, work_.data(), s);
  }
}

}  // namespace morsim
