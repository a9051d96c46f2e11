/**
 * The catalogue's concrete device and node records: DeviceSpec/NodeSpec (src/core/types.ts) plus the optional
 * fields the predictor and energy model read. All bandwidths are GB/s (1e9 bytes/s) per direction.
 *
 * @example
 * const h100: DeviceProfile = findDevice("h100"); h100.memory_bandwidth_gbps // 3350
 */
import type { DeviceSpec, ModelSpec, NodeSpec } from "../core/types.js";

export interface DeviceProfile extends DeviceSpec {
  /** Vendor's dense FP16 peak when Vidur's fp16_tflops differs (h100: Vidur 1000, vendor 989.4). */
  vendor_fp16_tflops?: number;
  /** Vendor's memory size when Vidur's total_memory_gb differs (a40: Vidur 45, vendor 48). */
  vendor_memory_gb?: number;
  /** Architecture family, informative ("ampere", "hopper"). */
  family?: string;
  /** Which profiles/efficiency/<name>.json the roofline uses (a fitted device; default: the device's name). */
  efficiency_profile?: string;
  /** GPU-to-GPU link: per-direction bandwidth (GB/s) of the device's fast link and of its PCIe slot. */
  interconnect?: { type: string; bandwidth_gbps: number; pcie_gbps?: number };
  /** The node type servers with this GPU usually are (docs/predictor.md, "Devices and their nodes"). */
  usual_node?: string;
  /** An SXM module: its servers connect every GPU through NVSwitch, never NVLink pairs or PCIe only. */
  sxm_only?: boolean;
}

export interface NodeProfile extends NodeSpec {
  /** "pairwise_nvlink" (NVLink between GPU pairs), "nvswitch", "pcie", "infinity_fabric". */
  topology: string;
  /** GPUs that share the fast link (2 for pairwise NVLink, 8 for a DGX, 1 for PCIe only). */
  nvlink_group_size: number;
  /** Per-GPU per-direction bandwidth (GB/s) inside a fast-link group. */
  intra_node_bandwidth_gbps: number;
  /** Per-GPU per-direction bandwidth (GB/s) between groups of the same node (PCIe for pairwise nodes). */
  cross_group_bandwidth_gbps: number;
  /** One-hop latency inside the node, µs. */
  intra_node_latency_us: number;
  /** Per-GPU NIC bandwidth (GB/s) between nodes. */
  inter_node_bandwidth_gbps: number;
  /** One-hop latency between nodes, µs. */
  inter_node_latency_us: number;
  server_idle_w?: number;
  server_tdp_w?: number;
}

/** The whole catalogue, as loaded from a profiles directory. */
export interface Catalog {
  dir: string;
  models: ModelSpec[];
  devices: DeviceProfile[];
  nodes: NodeProfile[];
}
