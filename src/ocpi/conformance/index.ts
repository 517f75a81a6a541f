export { createConformanceService, type ConformanceService, type DeviationCount, type IntakeModule } from './conformance.service.js'
