/**
 * Roofline times of the tensor-parallel all-reduce and the pipeline send/recv from a node's links
 * (profiles/nodes/*.json), optionally corrected by a fitted network profile.
 *
 * Ring all-reduce over n GPUs moves 2(n−1)/n of the message per GPU in 2(n−1) steps; the slowest link
 * in the ring sets the pace (PCIe between NVLink pairs, the NIC across nodes).
 *
 * @example
 * allReduceTimeMs(4096 * 8192 * 2, 2, findNode("a100_pairwise_nvlink")) // ≈ 0.3 ms at nominal 300 GB/s
 */
import type { NodeProfile } from "../profiles/profile-types.js";
import type { AlphaBeta, CollectiveEfficiency, NetworkProfile } from "./efficiency.js";

/** Nominal efficiency when no fitted network profile exists (NCCL typically reaches ~70 % of link peak). */
const DEFAULT_BW_EFF = 0.7;

export interface Link {
  bandwidthGbps: number;
  latencyUs: number;
}

/** The bottleneck link of a ring over `n` GPUs placed consecutively from GPU 0. */
export function ringLink(node: NodeProfile, n: number): Link {
  if (n > node.num_devices_per_node) return { bandwidthGbps: node.inter_node_bandwidth_gbps, latencyUs: node.inter_node_latency_us };
  if (n > node.nvlink_group_size) return { bandwidthGbps: node.cross_group_bandwidth_gbps, latencyUs: node.intra_node_latency_us };
  return { bandwidthGbps: node.intra_node_bandwidth_gbps, latencyUs: node.intra_node_latency_us };
}

export function allReduceTimeMs(bytes: number, n: number, node: NodeProfile, net?: NetworkProfile): number {
  if (n <= 1) return 0;
  const link = ringLink(node, n);
  const fit: CollectiveEfficiency | undefined = net?.collectives.all_reduce?.[String(n)];
  // A worker count the node was not profiled at: the node's α–β model fitted over the counts it was.
  if (!fit && net?.all_reduce_alpha_beta && n <= node.num_devices_per_node)
    return alphaBetaAllReduceMs(bytes, n, link, net.all_reduce_alpha_beta);
  const lat = fit?.latency_us ?? link.latencyUs;
  const eff = fit?.bandwidth_eff ?? DEFAULT_BW_EFF;
  return 2 * (n - 1) * lat * 1e-3 + ((((2 * (n - 1)) / n) * bytes) / (link.bandwidthGbps * 1e9 * eff)) * 1e3;
}

/** The α–β all-reduce time (see AlphaBeta) over the ring's bottleneck `link`. */
export function alphaBetaAllReduceMs(bytes: number, n: number, link: Link, m: AlphaBeta): number {
  const alphaUs = m.alpha_us + m.alpha_log2_us * Math.log2(n);
  return alphaUs * 1e-3 + ((((2 * (n - 1)) / n) * bytes) / (link.bandwidthGbps * 1e9 * m.bandwidth_eff)) * 1e3;
}

/**
 * Point-to-point activation transfer between consecutive pipeline stages. `crossNode` follows Vidur
 * (TP·PP > devices per node); within a node, stages TP GPUs apart share the fast link only if the TP group
 * is smaller than the NVLink group.
 */
export function sendRecvTimeMs(bytes: number, tp: number, crossNode: boolean, node: NodeProfile, net?: NetworkProfile): number {
  const link: Link = crossNode
    ? { bandwidthGbps: node.inter_node_bandwidth_gbps, latencyUs: node.inter_node_latency_us }
    : tp < node.nvlink_group_size
      ? { bandwidthGbps: node.intra_node_bandwidth_gbps, latencyUs: node.intra_node_latency_us }
      : { bandwidthGbps: node.cross_group_bandwidth_gbps, latencyUs: node.intra_node_latency_us };
  const fit = net?.collectives.send_recv?.[crossNode ? "inter" : "intra"];
  const lat = fit?.latency_us ?? link.latencyUs;
  const eff = fit?.bandwidth_eff ?? DEFAULT_BW_EFF;
  return lat * 1e-3 + (bytes / (link.bandwidthGbps * 1e9 * eff)) * 1e3;
}
