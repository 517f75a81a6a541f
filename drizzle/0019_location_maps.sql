CREATE TABLE "location_maps" (
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"id" text NOT NULL,
	"partner_id" uuid NOT NULL,
	"visible" boolean NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"evse_uids" text[] NOT NULL,
	"evses" json NOT NULL,
	"has_evse" boolean NOT NULL,
	"has_removed" boolean NOT NULL,
	"has_available" boolean NOT NULL,
	"has_start" boolean NOT NULL,
	"has_available_start" boolean NOT NULL,
	CONSTRAINT "location_maps_country_code_party_id_id_pk" PRIMARY KEY("country_code","party_id","id")
);
--> statement-breakpoint
CREATE INDEX "location_maps_available_idx" ON "location_maps" USING gist (point(longitude, latitude)) WHERE visible and has_available;--> statement-breakpoint
CREATE INDEX "location_maps_start_idx" ON "location_maps" USING gist (point(longitude, latitude)) WHERE visible and has_start;--> statement-breakpoint
CREATE INDEX "location_maps_available_start_idx" ON "location_maps" USING gist (point(longitude, latitude)) WHERE visible and has_available_start;--> statement-breakpoint
-- Free space on every page: the EVSE status PATCH rewrites its location's summary row, and an update that changes no
-- indexed column (only the EVSE list) then stays on its page (HOT).
ALTER TABLE "location_maps" SET (fillfactor = 70);--> statement-breakpoint
-- Backfill: every stored location's summary, computed from the tables (the statement of mapSummaryUpsert in
-- src/ocpi/locations/locations.repository.ts).
insert into location_maps (country_code, party_id, id, partner_id, visible, latitude, longitude, evse_uids, evses,
      has_evse, has_removed, has_available, has_start, has_available_start)
    select l.country_code, l.party_id, l.id, l.partner_id, l.publish and l.removed_at is null, l.latitude::float8, l.longitude::float8,
      coalesce(e.uids, '{}'), coalesce(e.list, '[]'::json), e.has_evse, e.has_removed, e.has_available, e.has_start, e.has_available_start
    from locations l cross join lateral (
      select array_agg(e.uid order by e.position, e.uid) as uids,
        json_agg(json_build_object('uid', e.object->>'uid', 'evse_id', e.object->>'evse_id', 'status', e.status,
    'status_updated_at', to_char(e.last_updated at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'power_type', c.power_type, 'max_power_kw', trim_scale(c.max_power_w / 1000.0)::text, 'connectors', coalesce(c.list, '[]'::json),
    'capabilities', to_json(e.capabilities), 'app_start', e.capabilities @> array['REMOTE_START_STOP_CAPABLE']) order by e.position, e.uid) as list,
        coalesce(bool_or(e.status <> 'REMOVED'), false) as has_evse, coalesce(bool_or(e.status = 'REMOVED'), false) as has_removed,
    coalesce(bool_or(e.status = 'AVAILABLE'), false) as has_available,
    coalesce(bool_or(e.status <> 'REMOVED' and e.capabilities @> array['REMOTE_START_STOP_CAPABLE']), false) as has_start,
    coalesce(bool_or(e.status = 'AVAILABLE' and e.capabilities @> array['REMOTE_START_STOP_CAPABLE']), false) as has_available_start
      from evses e cross join lateral (
        select json_agg(json_build_object('id', c.object->>'id', 'standard', c.standard, 'power_type', c.power_type, 'max_power_kw', trim_scale(c.max_power_w / 1000.0)::text)
            order by c.position, c.id) as list,
          (array_agg(c.power_type order by c.max_power_w desc, c.position, c.id))[1] as power_type, max(c.max_power_w) as max_power_w
        from connectors c
        where c.country_code = e.country_code and c.party_id = e.party_id and c.location_id = e.location_id and c.evse_uid = e.uid and c.present
      ) c
      where e.country_code = l.country_code and e.party_id = l.party_id and e.location_id = l.id
    ) e
    where true
    on conflict (country_code, party_id, id) do update set partner_id = excluded.partner_id, visible = excluded.visible,
      latitude = excluded.latitude, longitude = excluded.longitude, evse_uids = excluded.evse_uids, evses = excluded.evses,
      has_evse = excluded.has_evse, has_removed = excluded.has_removed, has_available = excluded.has_available,
      has_start = excluded.has_start, has_available_start = excluded.has_available_start
;
