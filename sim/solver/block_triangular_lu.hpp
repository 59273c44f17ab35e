// LU of the Rosenbrock iteration matrix W = I/(gamma h) - J that follows the model's structure.
//
// Drug flows one way through a morsim model: gut -> plasma -> metabolite -> brain -> receptor,
// and nothing flows back from the receptor to the plasma. Ordered along that flow, J is block
// lower triangular: its diagonal blocks are the strongly connected parts (a central compartment
// with its peripherals, the receptor's occupancy states), mostly of size 1. Factorising only
// those blocks and solving by forward substitution over the blocks costs a few hundred flops
// instead of the ~n^3/3 of a dense LU, with the same result (pivoting within each block, as
// the sparse solver KLU does after its block triangular form; Davis & Palamadai Natarajan,
// ACM TOMS 37, 2010). A model that is one big block gets an ordinary dense LU.
#pragma once

#include <Eigen/Dense>
#include <utility>
#include <vector>

namespace morsim {

class BlockTriangularLu {
 public:
  // `nonzeros` lists (row, col) of every entry of J that can be nonzero, in any order; the
  // diagonal is assumed. Must be called before compute().
  void analyse(Eigen::Index n, const std::vector<std::pair<int, int>>& nonzeros);
  bool analysed() const { return n_ > 0; }

  // Factorises the diagonal blocks of `w` (n x n) and keeps its coupling entries; entries of w
  // outside the analysed pattern are ignored. Returns false if w is singular.
  // (compute(w) is compute_shifted(w, 0, 1).)
  bool compute(const Eigen::MatrixXd& w) { return compute_shifted(w, 0.0, 1.0); }
  // Factorises W = shift I + scale J from J directly, touching only the analysed entries (the
  // Rosenbrock stages need W = I/(gamma h) - J for a new h after every rejected step).
  bool compute_shifted(const Eigen::MatrixXd& j, double shift, double scale = -1.0);
  // The same from the values of J's analysed entries, in the order of `nonzeros` given to
  // analyse() (repeated entries add up): no dense matrix is formed at all.
  bool compute_from_values(const double* j_values, double shift, double scale = -1.0);

  // x = W^-1 b. x may be b.
  void solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) const;

  std::size_t block_count() const { return blocks_.size(); }
  int largest_block() const;
  // States in the order they are solved (each block after every block it depends on).
  const std::vector<int>& solve_order() const { return order_; }

 private:
  struct Block {
    int begin = 0;  // first position in order_
    int size = 0;
    std::size_t lu_offset = 0;  // start of the block's LU in lu_ (size x size, column-major)
    std::size_t coupling_begin = 0, coupling_end = 0;
  };
  // w(row, col) with col in an earlier block; `local_row` is the row's index inside its block.
  struct Coupling {
    int local_row = 0, row = 0, col = 0;
    double value = 0.0;
  };

  bool factorise_blocks();
  // solve() for one block of S states (2-6), unrolled by the compiler.
  template <int S>
  void solve_fixed(const Block& blk, const double* b, double* x) const;
  // The solve of one block of s states with r as scratch; s an int or a compile-time constant.
  template <class Size>
  void solve_block(const Block& blk, const double* b, double* x, double* r, Size s) const;

  Eigen::Index n_ = 0;
  std::vector<std::pair<int, int>> nonzeros_;
  // Where each nonzero's value goes: >= 0 an index into lu_, < 0 coupling -(index + 1).
  std::vector<std::ptrdiff_t> destination_;
  std::vector<double> values_;  // scratch for compute_shifted
  std::vector<int> order_;
  std::vector<Block> blocks_;
  std::vector<Coupling> couplings_;
  std::vector<double> lu_;
  std::vector<int> piv_;  // per position in order_: the pivot row within the block
  mutable std::vector<double> work_;
};

}  // namespace morsim
