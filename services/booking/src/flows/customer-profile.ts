/**
 * GET/PUT /v1/me/profile: where a signed-in customer's messages go. Booking is the one source of
 * truth for it: a booking made without contact details takes the profile (or, until one is
 * saved, the token's `email` and `name` claims) as its contact, and a saved change reaches the
 * customer's bookings not yet over. Booking events carry that contact like a guest's, so every
 * message a guest gets, the customer gets too, without notification asking back.
 */
import { NotFound } from '@midas/contracts';
import type { Tx } from '@midas/db';
import type { Principal } from '@midas/http';
import { findProfile, followProfile, saveProfile, type Contact } from '../db/customer-profiles';
import type { FlowContext } from './context';

export interface ProfileView {
  name: string;
  email: string;
  phone?: string;
  source: 'profile' | 'token';
}

/** The profile, else the token's claims; undefined when neither gives an address. */
export async function contactOf(tx: Tx, principal: Principal): Promise<ProfileView | undefined> {
  if (!principal.sub || principal.role !== 'customer') return undefined;
  const saved = await findProfile(tx, principal.sub);
  if (saved) {
    return {
      name: saved.name,
      email: saved.email,
      ...(saved.phone ? { phone: saved.phone } : {}),
      source: 'profile',
    };
  }
  if (!principal.email) return undefined;
  return { name: principal.name ?? '', email: principal.email, source: 'token' };
}

export async function readProfile(deps: Pick<FlowContext, 'db'>, principal: Principal): Promise<ProfileView> {
  const found = await contactOf(deps.db, principal);
  if (!found) throw new NotFound('profile', 'No profile yet: PUT /v1/me/profile to set one');
  return found;
}

export async function writeProfile(
  deps: Pick<FlowContext, 'db' | 'logger'>,
  principal: Principal & { sub: string },
  contact: Contact,
): Promise<ProfileView> {
  const { saved, followed } = await deps.db.transaction(async (tx) => ({
    saved: await saveProfile(tx, principal.sub, contact),
    followed: await followProfile(tx, principal.sub, contact),
  }));
  deps.logger.debug({ customerId: principal.sub, bookings: followed }, 'profile saved');
  return {
    name: saved.name,
    email: saved.email,
    ...(saved.phone ? { phone: saved.phone } : {}),
    source: 'profile',
  };
}
