#include "wms/waves/Batching.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <stdexcept>

#include "TripEstimate.h"

namespace wms::waves {
namespace {

using detail::Footprint;
using detail::TripEstimator;

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();

// One order as batching sees it (indices are local to a group).
struct Item {
  std::size_t alloc = 0;  // index into Allocation::orders: its place in the sequence
  std::string zone;       // AllocatedOrder::zone
  std::vector<Tote> totes;
  int toteCount = 0;
  Footprint fp;
  Millimetres alone = 0;
};

using Cluster = std::vector<std::uint32_t>;  // local item indices

// How many more units of (volume v, weight w) fit beside what a tote holds.
std::int64_t room(const CartSpec& cart, const Tote& t, std::int64_t v, std::int64_t w) {
  std::int64_t n = kUnlimited;
  if (cart.maxUnits > 0) n = std::min(n, cart.maxUnits - t.units);
  if (cart.maxVolumeCm3 > 0 && v > 0) n = std::min(n, (cart.maxVolumeCm3 - t.volumeCm3) / v);
  if (cart.maxWeightG > 0 && w > 0) n = std::min(n, (cart.maxWeightG - t.weightG) / w);
  return std::max<std::int64_t>(n, 0);
}

void put(Tote& t, int lineNo, std::int64_t qty, std::int64_t v, std::int64_t w) {
  if (!t.lines.empty() && t.lines.back().lineNo == lineNo) {
    t.lines.back().qty += qty;
  } else {
    t.lines.push_back({lineNo, qty});
  }
  t.units += qty;
  t.volumeCm3 += qty * v;
  t.weightG += qty * w;
}

// Candidate partners of every item: items picking in the same or an adjacent
// sub-aisle near the same depth, ranked by estimated saving (best `keep`).
// Returns (partner, saving) lists; only positive savings are kept.
std::vector<std::vector<std::pair<std::uint32_t, Millimetres>>> neighbours(const std::vector<Item>& items,
                                                                           const TripEstimator& est,
                                                                           int keep) {
  const std::uint32_t keys = est.keyCount(), aisles = est.aisles();
  std::vector<std::vector<std::pair<std::int32_t, std::uint32_t>>> byKey(keys);
  for (std::uint32_t i = 0; i < items.size(); ++i) {
    for (const auto& s : items[i].fp) byKey[s.key].push_back({(s.lo + s.hi) / 2, i});
  }
  for (auto& list : byKey) std::sort(list.begin(), list.end());

  constexpr int kPerKey = 24;         // nearest entries taken in the order's own sub-aisle
  constexpr int kPerAdjacentKey = 6;  // and in each neighbouring aisle of the block
  std::vector<std::vector<std::pair<std::uint32_t, Millimetres>>> out(items.size());
  std::vector<std::uint32_t> found;
  std::vector<std::pair<std::uint32_t, Millimetres>> scored;
  for (std::uint32_t i = 0; i < items.size(); ++i) {
    found.clear();
    for (const auto& s : items[i].fp) {
      const std::int32_t mid = (s.lo + s.hi) / 2;
      const std::uint32_t aisle = s.key % aisles;
      for (int d = -1; d <= 1; ++d) {
        if ((d < 0 && aisle == 0) || (d > 0 && aisle + 1 >= aisles)) continue;
        const auto& list = byKey[static_cast<std::uint32_t>(static_cast<int>(s.key) + d)];
        if (list.empty()) continue;
        // Walk outwards from the nearest entry, taking the closer side each step.
        auto pos = std::lower_bound(list.begin(), list.end(), std::pair<std::int32_t, std::uint32_t>{mid, 0});
        std::ptrdiff_t left = (pos - list.begin()) - 1, right = pos - list.begin();
        const auto n = static_cast<std::ptrdiff_t>(list.size());
        int taken = 0;
        const int limit = d == 0 ? kPerKey : kPerAdjacentKey;
        while (taken < limit && (left >= 0 || right < n)) {
          const bool takeLeft =
              right >= n || (left >= 0 && mid - list[static_cast<std::size_t>(left)].first <=
                                              list[static_cast<std::size_t>(right)].first - mid);
          const std::uint32_t j = takeLeft ? list[static_cast<std::size_t>(left--)].second
                                           : list[static_cast<std::size_t>(right++)].second;
          if (j == i) continue;
          found.push_back(j);
          ++taken;
        }
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    scored.clear();
    for (std::uint32_t j : found) {
      const Millimetres saving =
          items[i].alone + items[j].alone - est.estimateUnion(items[i].fp, items[j].fp);
      if (saving > 0) scored.push_back({j, saving});
    }
    auto better = [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    };
    if (scored.size() > static_cast<std::size_t>(keep)) {
      std::partial_sort(scored.begin(), scored.begin() + keep, scored.end(), better);
      scored.resize(static_cast<std::size_t>(keep));
    } else {
      std::sort(scored.begin(), scored.end(), better);
    }
    out[i] = scored;
  }
  return out;
}

std::vector<Cluster> fcfs(const std::vector<Item>& items, int capacity) {
  std::vector<Cluster> out;
  int used = capacity;
  for (std::uint32_t i = 0; i < items.size(); ++i) {
    if (used + items[i].toteCount > capacity) {
      out.emplace_back();
      used = 0;
    }
    out.back().push_back(i);
    used += items[i].toteCount;
  }
  return out;
}

// Items in order of their centroid along the site (x, then depth): the
// fallback neighbourhood when an item's candidate lists run dry.
std::vector<std::uint32_t> placeOrder(const std::vector<Item>& items, const TripEstimator& est) {
  std::vector<layouts::Point> c(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) c[i] = est.centroid(items[i].fp);
  std::vector<std::uint32_t> order(items.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (c[a].x != c[b].x) return c[a].x < c[b].x;
    if (c[a].y != c[b].y) return c[a].y < c[b].y;
    return a < b;
  });
  return order;
}

std::vector<Cluster> seed(const std::vector<Item>& items, const TripEstimator& est, int capacity, int keep) {
  const auto cand = neighbours(items, est, keep);
  const std::size_t n = items.size();
  std::vector<bool> assigned(n, false);
  // Unassigned items in place order, as a doubly linked list (O(1) removal).
  const auto order = placeOrder(items, est);
  std::vector<std::uint32_t> rank(n);
  for (std::uint32_t r = 0; r < n; ++r) rank[order[r]] = r;
  std::vector<std::int64_t> prev(n), next(n);
  for (std::size_t r = 0; r < n; ++r) {
    prev[r] = static_cast<std::int64_t>(r) - 1;
    next[r] = r + 1 < n ? static_cast<std::int64_t>(r + 1) : -1;
  }
  auto take = [&](std::uint32_t item) {
    assigned[item] = true;
    const std::uint32_t r = rank[item];
    if (prev[r] >= 0) next[static_cast<std::size_t>(prev[r])] = next[r];
    if (next[r] >= 0) prev[static_cast<std::size_t>(next[r])] = prev[r];
  };

  // Seeds: farthest from the start first (then the sequence).
  std::vector<Millimetres> reach(n);
  for (std::size_t i = 0; i < n; ++i) reach[i] = est.reach(items[i].fp);
  std::vector<std::uint32_t> seeds(n);
  std::iota(seeds.begin(), seeds.end(), 0u);
  std::sort(seeds.begin(), seeds.end(), [&](std::uint32_t a, std::uint32_t b) {
    return reach[a] != reach[b] ? reach[a] > reach[b] : a < b;
  });

  constexpr int kWindow = 16;
  const std::size_t kPool = 4 * static_cast<std::size_t>(keep);
  std::vector<Cluster> out;
  Footprint fp, scratch;
  std::vector<std::uint32_t> pool;
  std::vector<std::uint32_t> mark(n, 0);
  std::uint32_t stamp = 0;
  for (std::uint32_t s : seeds) {
    if (assigned[s]) continue;
    Cluster batch{s};
    take(s);
    fp = items[s].fp;
    int totes = items[s].toteCount;
    while (totes < capacity) {
      // Candidates of the latest members first (they are where the cart is
      // now), at most kPool distinct ones, so big carts stay cheap.
      pool.clear();
      ++stamp;
      for (auto m = batch.rbegin(); m != batch.rend() && pool.size() < kPool; ++m) {
        for (const auto& [j, saving] : cand[*m]) {
          if (assigned[j] || mark[j] == stamp || totes + items[j].toteCount > capacity) continue;
          mark[j] = stamp;
          pool.push_back(j);
        }
      }
      if (pool.empty()) {
        const std::uint32_t r = rank[s];
        std::int64_t l = prev[r], h = next[r];
        for (int k = 0; k < kWindow; ++k) {
          // Unlinked entries keep their links, which always point outwards,
          // so the walk ends; it skips what was taken meanwhile.
          if (l >= 0) {
            const std::uint32_t j = order[static_cast<std::size_t>(l)];
            if (!assigned[j] && totes + items[j].toteCount <= capacity) pool.push_back(j);
            l = prev[static_cast<std::size_t>(l)];
          }
          if (h >= 0) {
            const std::uint32_t j = order[static_cast<std::size_t>(h)];
            if (!assigned[j] && totes + items[j].toteCount <= capacity) pool.push_back(j);
            h = next[static_cast<std::size_t>(h)];
          }
        }
      }
      if (pool.empty()) break;
      const Millimetres base = est.estimate(fp);
      std::uint32_t best = 0;
      Millimetres bestAdd = std::numeric_limits<Millimetres>::max();
      for (std::uint32_t j : pool) {
        const Millimetres add = est.estimateUnion(fp, items[j].fp) - base;
        if (add < bestAdd || (add == bestAdd && j < best)) {
          bestAdd = add;
          best = j;
        }
      }
      batch.push_back(best);
      take(best);
      totes += items[best].toteCount;
      TripEstimator::unite(fp, items[best].fp, scratch);
      fp.swap(scratch);
    }
    out.push_back(std::move(batch));
  }
  return out;
}

// Clarke-Wright savings over clusters with lazy invalidation: a heap of
// candidate merges, each stamped with the versions of its two clusters; a
// merge bumps the version, so stale entries are skipped when popped.
class Savings {
 public:
  Savings(const std::vector<Item>& items, const TripEstimator& est, int capacity, int keep)
      : items_(items), est_(est), capacity_(capacity), keep_(keep) {
    const std::size_t n = items.size();
    clusters_.resize(n);
    parent_.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      auto& c = clusters_[i];
      c.fp = items[i].fp;
      c.est = items[i].alone;
      c.totes = items[i].toteCount;
      c.members = {i};
      parent_[i] = i;
    }
  }

  std::vector<Cluster> run() {
    const auto cand = neighbours(items_, est_, keep_);
    for (std::uint32_t i = 0; i < cand.size(); ++i) {
      auto& c = clusters_[i];
      for (const auto& [j, saving] : cand[i]) {
        c.cand.push_back(j);
        if (c.totes + clusters_[j].totes <= capacity_) heap_.push({saving, i, j, 0, 0});
      }
    }
    drain();
    // Fill: trips left with room whose candidates all filled up try partners
    // among the other part-filled trips nearby in place order.
    for (int round = 0; round < 2; ++round) {
      if (!fillRound()) break;
    }
    std::vector<Cluster> out;
    for (auto& c : clusters_) {
      if (c.alive) out.push_back(std::move(c.members));
    }
    return out;
  }

 private:
  struct Node {
    Footprint fp;
    Millimetres est = 0;
    int totes = 0;
    Cluster members;
    std::vector<std::uint32_t> cand;
    std::uint32_t version = 0;
    bool alive = true;
  };
  struct Entry {
    Millimetres saving;
    std::uint32_t a, b, va, vb;
    bool operator<(const Entry& o) const {  // max-heap: larger saving, then smaller ids first
      if (saving != o.saving) return saving < o.saving;
      if (a != o.a) return a > o.a;
      return b > o.b;
    }
  };

  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  Millimetres saving(std::uint32_t a, std::uint32_t b) const {
    const auto& ca = clusters_[a];
    const auto& cb = clusters_[b];
    return ca.est + cb.est - est_.estimateUnion(ca.fp, cb.fp);
  }

  void drain() {
    while (!heap_.empty()) {
      const Entry e = heap_.top();
      heap_.pop();
      auto& a = clusters_[e.a];
      auto& b = clusters_[e.b];
      if (!a.alive || !b.alive || a.version != e.va || b.version != e.vb) continue;
      if (a.totes + b.totes > capacity_) continue;
      merge(e.a, e.b);
    }
  }

  // b joins a; a's candidates become the live, still-fitting ones of both.
  void merge(std::uint32_t ia, std::uint32_t ib) {
    auto& a = clusters_[ia];
    auto& b = clusters_[ib];
    TripEstimator::unite(a.fp, b.fp, scratch_);
    a.fp.swap(scratch_);
    a.est = est_.estimate(a.fp);
    a.totes += b.totes;
    a.members.insert(a.members.end(), b.members.begin(), b.members.end());
    ++a.version;
    b.alive = false;
    parent_[ib] = ia;
    std::vector<std::uint32_t> pool;
    pool.swap(a.cand);
    pool.insert(pool.end(), b.cand.begin(), b.cand.end());
    b.cand.clear();
    b.cand.shrink_to_fit();
    b.fp.clear();
    b.fp.shrink_to_fit();
    if (a.totes >= capacity_) return;
    for (auto& x : pool) x = find(x);
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    std::vector<std::pair<std::uint32_t, Millimetres>> scored;
    for (std::uint32_t x : pool) {
      if (x == ia || !clusters_[x].alive || a.totes + clusters_[x].totes > capacity_) continue;
      const Millimetres s = saving(ia, x);
      if (s > 0) scored.push_back({x, s});
    }
    const auto limit = static_cast<std::size_t>(2 * keep_);
    auto better = [](const auto& p, const auto& q) {
      return p.second != q.second ? p.second > q.second : p.first < q.first;
    };
    if (scored.size() > limit) {
      std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(limit), scored.end(),
                        better);
      scored.resize(limit);
    }
    for (const auto& [x, s] : scored) {
      a.cand.push_back(x);
      heap_.push({s, ia, x, a.version, clusters_[x].version});
    }
  }

  bool fillRound() {
    std::vector<std::uint32_t> open;
    for (std::uint32_t i = 0; i < clusters_.size(); ++i) {
      if (clusters_[i].alive && clusters_[i].totes < capacity_) open.push_back(i);
    }
    if (open.size() < 2) return false;
    std::vector<layouts::Point> c(clusters_.size());
    for (std::uint32_t i : open) c[i] = est_.centroid(clusters_[i].fp);
    std::sort(open.begin(), open.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (c[a].x != c[b].x) return c[a].x < c[b].x;
      if (c[a].y != c[b].y) return c[a].y < c[b].y;
      return a < b;
    });
    constexpr std::size_t kWindow = 12;
    const std::size_t before = countAlive();
    for (std::size_t r = 0; r < open.size(); ++r) {
      const std::uint32_t a = open[r];
      auto& ca = clusters_[a];
      for (std::size_t k = r + 1; k < open.size() && k <= r + kWindow; ++k) {
        const std::uint32_t b = open[k];
        if (ca.totes + clusters_[b].totes > capacity_) continue;
        const Millimetres s = saving(a, b);
        if (s <= 0) continue;
        ca.cand.push_back(b);
        clusters_[b].cand.push_back(a);
        heap_.push({s, a, b, ca.version, clusters_[b].version});
      }
    }
    drain();
    return countAlive() < before;
  }

  std::size_t countAlive() const {
    return static_cast<std::size_t>(
        std::count_if(clusters_.begin(), clusters_.end(), [](const Node& n) { return n.alive; }));
  }

  const std::vector<Item>& items_;
  const TripEstimator& est_;
  const int capacity_;
  const int keep_;
  std::vector<Node> clusters_;
  std::vector<std::uint32_t> parent_;
  std::priority_queue<Entry> heap_;
  Footprint scratch_;
};

}  // namespace

std::string_view toString(BatchingMethod method) noexcept {
  switch (method) {
    case BatchingMethod::Fcfs:
      return "fcfs";
    case BatchingMethod::Seed:
      return "seed";
    case BatchingMethod::Savings:
      return "savings";
  }
  return "savings";
}

std::optional<BatchingMethod> parseBatchingMethod(std::string_view name) noexcept {
  for (auto m : {BatchingMethod::Fcfs, BatchingMethod::Seed, BatchingMethod::Savings}) {
    if (name == toString(m)) return m;
  }
  return std::nullopt;
}

std::vector<Tote> packOrder(const AllocatedOrder& order, const StockIndex& stock, const CartSpec& cart) {
  if (auto st = validateCart(cart); !st) throw std::invalid_argument("packOrder: " + st.error().message);
  const auto skus = stock.skus();
  std::vector<const AllocatedLine*> lines;
  for (const auto& l : order.lines) {
    if (l.allocated > 0) lines.push_back(&l);
  }
  // Largest units first: they are the hardest to place.
  std::stable_sort(lines.begin(), lines.end(), [&](const AllocatedLine* a, const AllocatedLine* b) {
    const auto& sa = skus[a->sku];
    const auto& sb = skus[b->sku];
    if (sa.volumeCm3 != sb.volumeCm3) return sa.volumeCm3 > sb.volumeCm3;
    if (sa.weightG != sb.weightG) return sa.weightG > sb.weightG;
    return a->lineNo < b->lineNo;
  });
  std::vector<Tote> totes;
  const Tote empty{};
  for (const AllocatedLine* line : lines) {
    const std::int64_t v = skus[line->sku].volumeCm3, w = skus[line->sku].weightG;
    std::int64_t left = line->allocated;
    const bool tooBig =
        (cart.maxVolumeCm3 > 0 && v > cart.maxVolumeCm3) || (cart.maxWeightG > 0 && w > cart.maxWeightG);
    if (tooBig) {
      for (; left > 0; --left) {
        Tote t;
        t.oversize = true;
        put(t, line->lineNo, 1, v, w);
        totes.push_back(std::move(t));
      }
      continue;
    }
    // The whole line into the first tote with room for it; else, when it fits
    // an empty tote, a new one; only a line larger than a tote is split.
    bool placed = false;
    for (auto& t : totes) {
      if (!t.oversize && room(cart, t, v, w) >= left) {
        put(t, line->lineNo, left, v, w);
        placed = true;
        break;
      }
    }
    if (placed) continue;
    const std::int64_t perTote = room(cart, empty, v, w);
    if (perTote >= left) {
      Tote t;
      put(t, line->lineNo, left, v, w);
      totes.push_back(std::move(t));
      continue;
    }
    for (auto& t : totes) {
      if (left == 0) break;
      if (t.oversize) continue;
      const std::int64_t n = std::min(left, room(cart, t, v, w));
      if (n > 0) {
        put(t, line->lineNo, n, v, w);
        left -= n;
      }
    }
    while (left > 0) {
      Tote t;
      const std::int64_t n = std::min(left, perTote);
      put(t, line->lineNo, n, v, w);
      left -= n;
      totes.push_back(std::move(t));
    }
  }
  int number = 0;
  for (auto& t : totes) {
    t.number = ++number;
    t.order = order.id;
    std::sort(t.lines.begin(), t.lines.end(),
              [](const ToteLine& a, const ToteLine& b) { return a.lineNo < b.lineNo; });
  }
  return totes;
}

Result<std::vector<Batch>> makeBatches(const Allocation& allocation, const StockIndex& stock,
                                       const BatchingOptions& options) {
  if (auto st = validateCart(options.cart); !st) return st.error();
  if (options.neighbours < 4 || options.neighbours > 64) {
    return invalid("batching: neighbours must be 4..64, got " + std::to_string(options.neighbours));
  }
  const auto& layout = stock.layout();
  const PlaceId start = options.start.value_or(layout.depot());
  const PlaceId end = options.end.value_or(layout.depot());
  const TripEstimator est(layout, start, end);
  const int capacity = options.cart.totes;
  const auto slots = stock.slots();

  std::vector<Batch> batches;
  // Groups of items: by zone when asked (in order of first appearance), else one.
  std::vector<std::vector<Item>> groups;
  std::map<std::string, std::size_t> groupOf;
  for (std::size_t k = 0; k < allocation.orders.size(); ++k) {
    const auto& order = allocation.orders[k];
    Item item;
    item.alloc = k;
    item.zone = order.zone;
    item.totes = packOrder(order, stock, options.cart);
    for (auto& t : item.totes) t.allocated = k;
    item.toteCount = static_cast<int>(item.totes.size());
    for (const auto& line : order.lines) {
      for (const auto& p : line.picks) est.add(item.fp, slots[p.slot].location);
    }
    item.alone = est.estimate(item.fp);
    if (item.toteCount > capacity) {
      Batch b;
      b.oversize = true;
      b.orders = {k};
      b.totes = std::move(item.totes);
      b.zone = order.zone;
      b.estimateMm = item.alone;
      batches.push_back(std::move(b));
      continue;
    }
    const std::string key = options.byZone ? order.zone : std::string();
    auto [it, fresh] = groupOf.emplace(key, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(std::move(item));
  }

  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto& items = groups[g];
    std::vector<Cluster> clusters;
    switch (options.method) {
      case BatchingMethod::Fcfs:
        clusters = fcfs(items, capacity);
        break;
      case BatchingMethod::Seed:
        clusters = seed(items, est, capacity, options.neighbours);
        break;
      case BatchingMethod::Savings:
        clusters = Savings(items, est, capacity, options.neighbours).run();
        break;
    }
    Footprint fp, scratch;
    for (auto& cluster : clusters) {
      std::sort(cluster.begin(), cluster.end());  // local indices follow the sequence
      Batch b;
      b.zone = items[cluster.front()].zone;
      fp.clear();
      for (std::uint32_t i : cluster) {
        auto& item = items[i];
        b.orders.push_back(item.alloc);
        if (item.zone != b.zone) b.zone.clear();
        for (auto& t : item.totes) b.totes.push_back(std::move(t));
        TripEstimator::unite(fp, item.fp, scratch);
        fp.swap(scratch);
      }
      b.estimateMm = est.estimate(fp);
      batches.push_back(std::move(b));
    }
  }

  std::sort(batches.begin(), batches.end(),
            [](const Batch& a, const Batch& b) { return a.orders.front() < b.orders.front(); });
  int number = 0;
  for (auto& b : batches) {
    b.number = ++number;
    int tote = 0;
    for (auto& t : b.totes) {
      t.number = ++tote;
      b.units += t.units;
    }
  }
  return batches;
}

}  // namespace wms::waves
