// Seed of the operator registry: every operator the three price lists name. IONITY, EnBW and Mer
// have known OCPI parties; the Estonian partner operators are recognised by `Location.operator.name`
// until their party ids are entered by the operators of the service (no party id is guessed here).
// Name aliases cover the spellings the lists themselves use ("Power Dot" / "Powerdot").
import type { OperatorRegistry } from './catalog.types.js'

export const operatorRegistrySeed: OperatorRegistry = [
  { id: 'ionity', name: 'IONITY', parties: [{ countryCode: '*', partyId: 'ION' }], names: ['IONITY', 'IONITY GmbH'] },
  {
    id: 'enbw',
    name: 'EnBW mobility+',
    parties: [{ countryCode: 'DE', partyId: 'EBW' }],
    names: ['EnBW', 'EnBW mobility+', 'EnBW Energie Baden-Württemberg AG'],
  },
  {
    id: 'mer',
    name: 'Mer',
    parties: [{ countryCode: '*', partyId: 'MER' }],
    names: ['Mer', 'Mer Norway', 'Mer Germany', 'Mer Austria', 'Mer Sweden'],
  },
  // Preferred partners of the Estonian list
  { id: 'da-emobil', name: 'da emobil', parties: [], names: ['da emobil'] },
  { id: 'evn', name: 'EVN', parties: [], names: ['EVN'] },
  { id: 'allego', name: 'Allego', parties: [], names: ['Allego'] },
  { id: 'electra', name: 'Electra', parties: [], names: ['Electra'] },
  { id: 'endesa', name: 'Endesa', parties: [], names: ['Endesa'] },
  { id: 'iberdrola-bp-pulse', name: 'Iberdrola bp pulse', parties: [], names: ['Iberdrola bp pulse'] },
  { id: 'zunder', name: 'Zunder', parties: [], names: ['Zunder'] },
  { id: 'moeve', name: 'Moeve', parties: [], names: ['Moeve'] },
  { id: 'incharge', name: 'InCharge', parties: [], names: ['InCharge'] },
  { id: 'bp-pulse', name: 'bp pulse', parties: [], names: ['bp pulse'] },
  { id: 'ewiva', name: 'EWIVA', parties: [], names: ['EWIVA'] },
  { id: 'enel', name: 'Enel', parties: [], names: ['Enel'] },
  { id: 'aral-pulse', name: 'Aral pulse', parties: [], names: ['Aral pulse'] },
  { id: 'chargy', name: 'Chargy', parties: [], names: ['Chargy'] },
  { id: 'recharge', name: 'Recharge', parties: [], names: ['Recharge'] },
  { id: 'eviny', name: 'Eviny', parties: [], names: ['Eviny'] },
  { id: 'power-dot', name: 'Power Dot', parties: [], names: ['Power Dot', 'Powerdot'] },
  { id: 'edp-comercial', name: 'EDP Comercial', parties: [], names: ['EDP Comercial'] },
  { id: 'eon-drive', name: 'E.ON Drive Infrastructure', parties: [], names: ['E.ON Drive Infrastructure'] },
  { id: 'gofast', name: 'GOFAST', parties: [], names: ['GOFAST'] },
  { id: 'groupe-e-move', name: 'Groupe E / MOVE', parties: [], names: ['Groupe E / MOVE', 'Groupe E', 'MOVE'] },
  { id: 'clever', name: 'Clever', parties: [], names: ['Clever'] },
  {
    id: 'prazska-energetika',
    name: 'Pražská energetika',
    parties: [],
    names: ['Prazska energetika', 'Pražská energetika'],
  },
]
