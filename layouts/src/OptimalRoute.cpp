// Exact routing: a dynamic programme over the columns of the walking graph.
//
// A route is a closed walk (or a walk from start to end), so its edges form a
// connected multigraph in which every vertex has even degree (start and end
// odd when they differ). An optimal route never uses a corridor more than
// twice, and inside an aisle section only six patterns make sense: unused,
// passed once, passed twice, entered from below and left the same way, from
// above, or from both ends leaving the largest gap between picks unwalked.
// Ratliff & Rosenthal (1983) solve the single-block case (two cross aisles) by
// sweeping the aisles left to right and keeping, for the part of the graph
// already decided, only what matters for the rest: the edge multiplicities
// crossing the sweep line and which of them are already connected. Roodbergen
// & de Koster (2001) do the same with a middle cross aisle. This file does it
// for any number of cross aisles, vertex by vertex ("broken profile"), so the
// work per column is linear in the number of reachable frontier states. The
// number of states grows quickly with the cross aisles, hence
// kMaxExactCrossAisles.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "Instance.h"

namespace wms::layouts {
namespace {

constexpr int kMaxRows = 6;  // labels: at most rows + 1 components, 3 bits
constexpr Millimetres kInf = std::numeric_limits<Millimetres>::max() / 4;

// Section patterns.
enum Conf : std::uint8_t { None, Pass1, Pass2, Bottom, Top, Gap };
constexpr int kDownDeg[] = {0, 1, 2, 2, 0, 2};
constexpr int kUpDeg[] = {0, 1, 2, 0, 2, 2};

// Frontier state while processing vertex (c, j), packed in one word that is
// also its key: byte q < rows holds row q's edge multiplicity 0..2 (high
// nibble) and component label 1..7 (low nibble, 0 = none); rows < j hold the
// edges leaving column c to the right, rows >= j the edges entering it from
// the left. Byte kCarry holds the passes up the section below vertex j and
// their label; byte kTop is 1 when an excursion from above attaches to vertex j.
using Packed = std::uint64_t;
constexpr int kCarry = 6, kTop = 7;

constexpr unsigned mult(Packed p, int q) { return unsigned(p >> (8 * q + 4)) & 0xFu; }
constexpr unsigned label(Packed p, int q) { return unsigned(p >> (8 * q)) & 0xFu; }
constexpr Packed with(Packed p, int q, unsigned m, unsigned l) {
  return (p & ~(Packed(0xFF) << (8 * q))) | (Packed((m << 4) | l) << (8 * q));
}

// Renumbers labels by first appearance so that equal states get equal keys.
Packed canonical(Packed p, int rows) {
  std::uint8_t map[16] = {};
  unsigned next = 1;
  auto relabel = [&](int q) {
    const unsigned l = label(p, q);
    if (l == 0) return;
    if (map[l] == 0) map[l] = std::uint8_t(next++);
    p = (p & ~(Packed(0xF) << (8 * q))) | (Packed(map[l]) << (8 * q));
  };
  for (int q = 0; q < rows; ++q) relabel(q);
  relabel(kCarry);
  return p;
}

struct Node {
  std::uint64_t key;
  Millimetres cost;
  std::uint32_t prev;
  std::uint8_t conf;
  std::uint8_t right;
};

}  // namespace

struct DpScratch {
  std::vector<Node> nodes;
  std::vector<std::uint32_t> stageBegin;
  std::vector<std::uint32_t> table;  // open addressing: node index + 1, 0 = empty
  std::vector<std::uint8_t> confs;   // reconstruction: per (col, block)
  std::vector<std::uint8_t> rights;  // reconstruction: per (col, row)
  std::vector<Millimetres> lowerBound;          // per stage: least cost still to come once begun
  std::vector<Millimetres> lowerBoundVertical;  // per stage: least cost of the sections still to come
};

DpScratch* newDpScratch() { return new DpScratch; }
void DpScratchDeleter::operator()(DpScratch* p) const noexcept { delete p; }

namespace {

struct Insert {
  DpScratch& sc;
  std::uint32_t stageStart;
  std::size_t mask;

  void reset(std::size_t expected) {
    std::size_t size = 64;
    while (size < expected * 2) size <<= 1;
    sc.table.assign(size, 0);
    mask = size - 1;
  }
  void grow() {
    std::size_t size = sc.table.size() * 2;
    sc.table.assign(size, 0);
    mask = size - 1;
    for (std::uint32_t i = stageStart; i < sc.nodes.size(); ++i) place(i);
  }
  void place(std::uint32_t idx) {
    std::size_t h = hash(sc.nodes[idx].key) & mask;
    while (sc.table[h] != 0) h = (h + 1) & mask;
    sc.table[h] = idx + 1;
  }
  static std::size_t hash(std::uint64_t k) {
    k ^= k >> 31;
    k *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(k ^ (k >> 29));
  }
  void add(std::uint64_t key, Millimetres cost, std::uint32_t prev, std::uint8_t conf, std::uint8_t right) {
    std::size_t h = hash(key) & mask;
    while (true) {
      std::uint32_t slot = sc.table[h];
      if (slot == 0) break;
      Node& n = sc.nodes[slot - 1];
      if (n.key == key) {
        if (cost < n.cost) n = Node{key, cost, prev, conf, right};
        return;
      }
      h = (h + 1) & mask;
    }
    sc.nodes.push_back(Node{key, cost, prev, conf, right});
    sc.table[h] = static_cast<std::uint32_t>(sc.nodes.size());
    if ((sc.nodes.size() - stageStart) * 2 > sc.table.size()) grow();
  }
};

struct Edge {
  int a, b;        // vertices (col * rows + row)
  std::uint8_t kind;  // 0 horizontal, 1 vertical pass, 2 excursion loop
  int col, block;  // for vertical passes and loops
  Millimetres reach;  // loops: how far into the section
};

// Turns the chosen edges into a walk from start to end (Hierholzer).
void walkEdges(const Instance& in, const std::vector<Edge>& edges, Walk& walk) {
  const int R = in.rows;
  const std::size_t V = in.cols.size() * std::size_t(R);
  std::vector<std::vector<int>> adj(V);
  for (int e = 0; e < int(edges.size()); ++e) {
    adj[std::size_t(edges[std::size_t(e)].a)].push_back(e);
    if (edges[std::size_t(e)].b != edges[std::size_t(e)].a) adj[std::size_t(edges[std::size_t(e)].b)].push_back(e);
  }
  std::vector<std::uint8_t> used(edges.size(), 0);
  std::vector<std::size_t> next(V, 0);
  std::vector<std::pair<int, int>> stack{{in.sCol * R + in.sRow, -1}}, circuit;
  while (!stack.empty()) {
    int v = stack.back().first;
    auto& i = next[std::size_t(v)];
    while (i < adj[std::size_t(v)].size() && used[std::size_t(adj[std::size_t(v)][i])]) ++i;
    if (i == adj[std::size_t(v)].size()) {
      circuit.push_back(stack.back());
      stack.pop_back();
      continue;
    }
    int e = adj[std::size_t(v)][i];
    used[std::size_t(e)] = 1;
    const Edge& ed = edges[std::size_t(e)];
    stack.push_back({ed.a == v ? ed.b : ed.a, e});
  }
  if (circuit.size() != edges.size() + 1) throw std::logic_error("optimal route: edges are not connected");
  std::reverse(circuit.begin(), circuit.end());
  for (std::size_t k = 1; k < circuit.size(); ++k) {
    const Edge& ed = edges[std::size_t(circuit[k].second)];
    int to = circuit[k].first;
    int toCol = to / R, toRow = to % R;
    switch (ed.kind) {
      case 0: walk.alongRow(toCol); break;
      case 1: walk.toRow(toRow); break;
      default: {
        Millimetres back = walk.y();
        walk.alongAisle(ed.reach);
        walk.alongAisle(back);
        break;
      }
    }
  }
}

}  // namespace

Millimetres optimalRoute(const Instance& in, DpScratch& sc, Walk* walk, Millimetres upperBound) {
  const int R = in.rows;
  const int C = static_cast<int>(in.cols.size());
  if (R > kMaxRows || R < 2) throw std::logic_error("optimal route: unsupported number of cross aisles");
  const int S = in.sCol * R + in.sRow, T = in.tCol * R + in.tRow;

  // The last stage at which something must be visited: a component may only
  // close (become the whole route) after it. And the rightmost column holding
  // something to visit.
  int lastRequired = std::max(S, T);
  int leftmost = std::min(in.sCol, in.tCol);
  int rightmost = std::max(in.sCol, in.tCol);
  for (int c = 0; c < C; ++c) {
    for (int j = 0; j + 1 < R; ++j) {
      if (!in.section(c, j).empty()) {
        lastRequired = std::max(lastRequired, c * R + j);
        leftmost = std::min(leftmost, c);
        rightmost = std::max(rightmost, c);
      }
    }
  }
  // Columns beyond the outermost aisle with something to visit are never
  // needed: projecting a route's part beyond it onto that aisle keeps every
  // degree's parity and the connectivity and does not lengthen it. (Not so
  // when the outermost column is a place between aisles: it has no aisle to
  // project onto.)
  const int firstCol = in.real(leftmost) ? leftmost : 0;
  const int lastCol = in.real(rightmost) ? rightmost : C - 1;

  // Branch and bound: a state whose cost plus a lower bound on what is still
  // to be walked exceeds a known route's length cannot lead to the optimum.
  // The bound: the cheapest pattern of every section with picks not yet
  // decided, plus, once the route has begun left of them, crossing every gap
  // between columns up to the rightmost column with something to visit: twice
  // for a closed route, at least once when start and end differ.
  sc.lowerBound.assign(std::size_t(C) * std::size_t(R) + 1, 0);
  sc.lowerBoundVertical.assign(std::size_t(C) * std::size_t(R) + 1, 0);
  {
    const Millimetres crossings = S == T ? 2 : 1;
    Millimetres vertical = 0;
    for (int c = C - 1; c >= 0; --c) {
      const Millimetres horizontal =
          c + 1 < rightmost ? crossings * (in.cols[std::size_t(rightmost)].x - in.cols[std::size_t(c) + 1].x) : 0;
      for (int j = R - 1; j >= 0; --j) {
        // Stage c*R+j decides section (c, j): the bound after it excludes it.
        sc.lowerBound[std::size_t(c * R + j) + 1] = vertical + horizontal;
        sc.lowerBoundVertical[std::size_t(c * R + j) + 1] = vertical;
        if (j + 1 < R && in.real(c)) {
          const SectionPicks& sp = in.section(c, j);
          if (!sp.empty()) {
            const Millimetres lo = in.rowY(j), hi = in.rowY(j + 1);
            Millimetres m = std::min({hi - lo, 2 * (sp.hi - lo), 2 * (hi - sp.lo)});
            if (sp.gapHi > sp.gapLo) m = std::min(m, 2 * (sp.gapLo - lo) + 2 * (hi - sp.gapHi));
            vertical += m;
          }
        }
      }
    }
  }
  const Millimetres bound = upperBound > 0 ? upperBound : kInf;

  sc.nodes.clear();
  sc.stageBegin.clear();
  sc.stageBegin.push_back(0);
  const Packed emptyKey = 0;
  sc.nodes.push_back(Node{emptyKey, 0, 0, None, 0});
  Millimetres best = kInf;
  std::uint32_t bestNode = 0;
  std::uint8_t bestConf = None, bestRight = 0;
  int bestStage = -1;

  Insert ins{sc, 0, 0};
  for (int c = firstCol; c <= lastCol; ++c) {
    const Millimetres width = c < lastCol ? in.cols[std::size_t(c) + 1].x - in.cols[std::size_t(c)].x : 0;
    const bool real = in.real(c);
    for (int j = 0; j < R; ++j) {
      const int stage = c * R + j;
      const std::uint32_t begin = sc.stageBegin.back();
      const std::uint32_t end = static_cast<std::uint32_t>(sc.nodes.size());
      ins.stageStart = end;
      ins.reset(end - begin);
      sc.stageBegin.push_back(end);
      const Millimetres nextBound = sc.lowerBound[std::size_t(stage) + 1];
      const Millimetres nextBoundVertical = sc.lowerBoundVertical[std::size_t(stage) + 1];

      // Patterns available for the section above this vertex, with their cost.
      Conf confs[6];
      Millimetres costs[6];
      int nconf = 0;
      if (!real || j + 1 == R) {
        confs[nconf] = None;
        costs[nconf++] = 0;
      } else {
        const SectionPicks& sp = in.section(c, j);
        const Millimetres lo = in.rowY(j), hi = in.rowY(j + 1), len = hi - lo;
        if (sp.empty()) {
          confs[nconf] = None;
          costs[nconf++] = 0;
        }
        confs[nconf] = Pass1;
        costs[nconf++] = len;
        confs[nconf] = Pass2;
        costs[nconf++] = 2 * len;
        if (!sp.empty()) {
          const Millimetres bottom = 2 * (sp.hi - lo), top = 2 * (hi - sp.lo);
          confs[nconf] = Bottom;
          costs[nconf++] = bottom;
          confs[nconf] = Top;
          costs[nconf++] = top;
          const Millimetres gap = 2 * (sp.gapLo - lo) + 2 * (hi - sp.gapHi);
          // A gap pattern no cheaper than entering from one end is never needed.
          if (sp.gapHi > sp.gapLo && gap < std::min(bottom, top)) {
            confs[nconf] = Gap;
            costs[nconf++] = gap;
          }
        }
      }
      const int v = stage;
      const int parity = (v == S) != (v == T) ? 1 : 0;
      const bool required = v == S || v == T;
      const bool closable = stage >= lastRequired;
      constexpr unsigned V = 15;  // the vertex's component until canonicalised

      for (std::uint32_t idx = begin; idx < end; ++idx) {
        const Packed st = sc.nodes[idx].key;
        const Millimetres base = sc.nodes[idx].cost;
        const unsigned mj = mult(st, j), cm = mult(st, kCarry);
        const bool topIn = label(st, kTop) != 0;
        const int inDeg = int(mj + cm) + (topIn ? 2 : 0);
        // The vertex joins the components arriving from the left and from
        // below; computed once for all the patterns tried below.
        const unsigned a = mj ? label(st, j) : 0, b = cm ? label(st, kCarry) : 0;
        Packed merged = with(with(with(st, j, 0, 0), kCarry, 0, 0), kTop, 0, 0);
        bool vElsewhere = false, others = false;
        for (int q = 0; q < R; ++q) {
          if (q == j) continue;
          const unsigned l = label(merged, q);
          if (l == 0) continue;
          if (l == a || l == b) {
            merged = with(merged, q, mult(merged, q), V);
            vElsewhere = true;
          } else {
            others = true;
          }
        }
        for (int k = 0; k < nconf; ++k) {
          const Conf conf = confs[k];
          const int deg0 = inDeg + kDownDeg[conf];
          const bool pass = conf == Pass1 || conf == Pass2;
          const bool topNext = conf == Top || conf == Gap;
          for (int r = (deg0 + parity) % 2; r <= 2; r += 2) {
            if (r > 0 && c == lastCol) break;
            const Millimetres cost = base + costs[k] + r * width;
            if (cost >= best || cost + nextBoundVertical > bound) continue;
            if (deg0 + r == 0) {
              if (required) continue;
              if (st != emptyKey && cost + nextBound > bound) continue;
              // Nothing arrives (mj, cm and topIn are all zero): only the
              // excursion flag for the vertex above can change.
              ins.add(with(st, kTop, 0, topNext ? 1 : 0), cost, idx, conf, std::uint8_t(r));
              continue;
            }
            if (!(r > 0 || pass || vElsewhere)) {
              // The vertex's component is finished: that is the whole route
              // only if nothing else is open or still to be visited.
              if (others || topNext || !closable) continue;
              best = cost;
              bestNode = idx;
              bestConf = conf;
              bestRight = std::uint8_t(r);
              bestStage = stage;
              continue;
            }
            if (cost + nextBound > bound) continue;
            Packed ns = with(merged, j, unsigned(r), r ? V : 0);
            if (pass) ns = with(ns, kCarry, unsigned(kUpDeg[conf]), V);
            if (topNext) ns = with(ns, kTop, 0, 1);
            ins.add(canonical(ns, R), cost, idx, conf, std::uint8_t(r));
          }
        }
      }
    }
  }
  if (bestStage < 0) throw std::logic_error("optimal route: no route found");
  if (!walk) return best;

  // Reconstruct the chosen patterns and edge multiplicities.
  sc.confs.assign(std::size_t(C) * std::size_t(R), None);
  sc.rights.assign(std::size_t(C) * std::size_t(R), 0);
  sc.confs[std::size_t(bestStage)] = bestConf;
  sc.rights[std::size_t(bestStage)] = bestRight;
  std::uint32_t idx = bestNode;
  for (int stage = bestStage; stage > firstCol * R; --stage) {
    const Node& n = sc.nodes[idx];
    sc.confs[std::size_t(stage - 1)] = n.conf;
    sc.rights[std::size_t(stage - 1)] = n.right;
    idx = n.prev;
  }
  std::vector<Edge> edges;
  for (int c = 0; c < C; ++c) {
    for (int j = 0; j < R; ++j) {
      const int v = c * R + j;
      for (int k = 0; k < sc.rights[std::size_t(v)]; ++k) edges.push_back(Edge{v, v + R, 0, c, j, 0});
      const auto conf = static_cast<Conf>(sc.confs[std::size_t(v)]);
      if (conf == None) continue;
      const SectionPicks& sp = in.section(c, j);
      switch (conf) {
        case Pass2: edges.push_back(Edge{v, v + 1, 1, c, j, 0}); [[fallthrough]];
        case Pass1: edges.push_back(Edge{v, v + 1, 1, c, j, 0}); break;
        case Bottom: edges.push_back(Edge{v, v, 2, c, j, sp.hi}); break;
        case Top: edges.push_back(Edge{v + 1, v + 1, 2, c, j, sp.lo}); break;
        case Gap:
          edges.push_back(Edge{v, v, 2, c, j, sp.gapLo});
          edges.push_back(Edge{v + 1, v + 1, 2, c, j, sp.gapHi});
          break;
        default: break;
      }
    }
  }
  walkEdges(in, edges, *walk);
  walk->moveToEnd();  // already there; keeps the walk's position consistent
  if (walk->length() != best) throw std::logic_error("optimal route: walk length differs from the optimum");
  return best;
}

}  // namespace wms::layouts
