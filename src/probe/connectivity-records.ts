/**
 * What ARM says about connectivity that a VNet's own record does not show (issue 10): Virtual WAN hubs with their VNet
 * connections, and the Azure Virtual Network Manager (AVNM) connectivity configurations in effect for a VNet.
 */
import type { ArmReadError } from './types';

/** A Virtual WAN hub, its VNet connections, and what its WAN says. */
export interface VirtualHubRecord {
  readonly id: string;
  readonly location: string | undefined;
  readonly virtualWanId: string | undefined;
  /** `Standard` or `Basic`: the WAN's `type`, else the hub's `sku`; undefined when neither says. */
  readonly wanType: string | undefined;
  /** Every hub of the WAN (its `virtualHubs`); undefined when the WAN could not be read. */
  readonly wanHubIds: readonly string[] | undefined;
  readonly connections: readonly HubConnectionRecord[];
}

/** A hub virtual network connection: the spoke VNet, and the route tables it is associated with and propagates to. */
export interface HubConnectionRecord {
  readonly id: string;
  readonly remoteVirtualNetworkId: string;
  readonly provisioningState: string | undefined;
  readonly associatedRouteTableId: string | undefined;
  readonly propagatedRouteTableIds: readonly string[];
  readonly propagatedLabels: readonly string[];
}

/** One AVNM connectivity configuration in effect for a VNet. */
export interface EffectiveConnectivityRecord {
  readonly id: string;
  /** `Mesh` or `HubAndSpoke`. */
  readonly topology: string | undefined;
  /** `isGlobal: "True"`: the mesh (or the spokes' direct connectivity) spans regions. */
  readonly isGlobal: boolean;
  /** HubAndSpoke: the hub VNets. */
  readonly hubIds: readonly string[];
  /** The configuration's network groups that hold this VNet (`configurationGroups[].id`). */
  readonly memberGroupIds: readonly string[];
  /** The configuration's network groups (`appliesToGroups`). */
  readonly groups: readonly {
    readonly networkGroupId: string;
    /** `groupConnectivity: "DirectlyConnected"`: the spokes of the group are meshed (HubAndSpoke). */
    readonly directlyConnected: boolean;
    readonly isGlobal: boolean;
  }[];
}

/** A read that gave its value, or the error it failed with. */
export type ReadOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ArmReadError };

/** Virtual WAN and AVNM as read around the probe's VNet. A part is absent when the probe had no reason to read it. */
export interface ConnectivityState {
  /** The hubs of each subscription asked; read when the probe's VNet has a Virtual WAN hub connection (an HV_ peer). */
  readonly virtualWan?: readonly {
    readonly subscriptionId: string;
    readonly hubs: ReadOutcome<readonly VirtualHubRecord[]>;
  }[];
  /** AVNM: the probe VNet's effective configurations; and, when it has some, each endpoint VNet's and its region. */
  readonly networkManager?: {
    readonly site: ReadOutcome<readonly EffectiveConnectivityRecord[]>;
    /** By lower-cased VNet ID. */
    readonly vnets: Readonly<Record<string, AvnmVnetState>>;
  };
}

/** An endpoint VNet as AVNM was read for it: its effective configurations, and its region where known. */
export interface AvnmVnetState {
  readonly configs: ReadOutcome<readonly EffectiveConnectivityRecord[]>;
  readonly location: string | undefined;
}
