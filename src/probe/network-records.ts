import type { ReadOutcome } from './connectivity-records';

/**
 * Issue 20: what the probe reads of its own subnet and of the vault's network security perimeter, as the engine's
 * own types (adapters/network-mappers.ts maps the SDKs' shapes onto them).
 */

/** A subnet of the probe's VNet, as the VNet's GET embeds it. */
export interface SubnetRecord {
  readonly id: string;
  /** `addressPrefix`, or `addressPrefixes` where the subnet has several. */
  readonly addressPrefixes: readonly string[];
  /** The services of its service endpoints (`Microsoft.KeyVault`, …), as ARM spells them. */
  readonly serviceEndpoints: readonly string[];
  /** The route table associated with the subnet, if any. */
  readonly routeTableId?: string;
}

/** One user-defined route: the prefix it covers and where it sends it. */
export interface RouteRecord {
  readonly name: string;
  readonly addressPrefix: string;
  /** `VirtualNetworkGateway`, `VnetLocal`, `Internet`, `VirtualAppliance` or `None`. */
  readonly nextHopType: string;
  readonly nextHopIpAddress?: string;
}

/** A route table and its routes. */
export interface RouteTableRecord {
  readonly id: string;
  readonly routes: readonly RouteRecord[];
}

/** A route table as read for the site: its ID, and the table or why it could not be read. */
export interface RouteTableState {
  readonly id: string;
  readonly table: ReadOutcome<RouteTableRecord>;
}

/** An inbound access rule of a perimeter profile. */
export interface PerimeterAccessRule {
  readonly name: string;
  /** `Inbound` or `Outbound`. */
  readonly direction: string;
  readonly addressPrefixes: readonly string[];
  /** Subscription IDs (`/subscriptions/<id>`) whose resources the rule admits. */
  readonly subscriptions: readonly string[];
}

/** The association of a PaaS resource with a network security perimeter's profile. */
export interface PerimeterAssociation {
  readonly id: string;
  /** The perimeter (`…/networkSecurityPerimeters/<name>`). */
  readonly perimeterId: string;
  readonly profileId: string | undefined;
  /** `Enforced`, `Learning` (transition) or `Audit`. */
  readonly accessMode: string | undefined;
  readonly resourceId: string;
}

/**
 * The vault's perimeter as read: the association that names it (none: `association` undefined) and its profile's
 * access rules; or why it could not be read.
 */
export type PerimeterState = ReadOutcome<{
  readonly association: PerimeterAssociation | undefined;
  readonly rules: readonly PerimeterAccessRule[];
}>;
