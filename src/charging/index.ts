/**
 * Charging, the product's use cases around a charge point: the app's Start/Stop (through the OCPI
 * Commands module), the help desk's commands, and the map queries (stations near a place, what the
 * app can start). The OCPI adapter (src/ocpi) carries the protocol; this module decides.
 */
export { createChargingService, type ChargingService, type AppSession } from './charging.service.js'
export { createHelpDeskService, type HelpDeskService } from './help-desk.service.js'
export {
  createAppLocationQueries,
  nearestKeysSql,
  type AppLocationQueries,
  type AppArea,
  type AppEvseFilter,
  type AppEvseRow,
  type CommandEvseRow,
  type MapKey,
  type NearKey,
} from './map.queries.js'
