// The bundled server catalogue: the seven SPECpower_ssj2008 tables CloudSim ships, by name.

/** A real server's measured power at 0 %, 10 % … 100 % load. */
export interface CatalogueServer {
  readonly description: string;
  /** The SPECpower_ssj2008 result the numbers come from, as CloudSim's class comment cites it. */
  readonly specResult: string;
  /** CloudSim's `PowerModelSpecPower…` class suffix. */
  readonly cloudsimClass: string;
  readonly tableW: readonly number[];
}

/**
 * Names are lowercase `vendor-model-cpu`. The G3 entry cites the G4's result page because CloudSim's
 * class comment does (an apparent copy-paste slip there); its numbers are CloudSim's G3 constants.
 */
export const SERVER_CATALOGUE: Readonly<Record<string, CatalogueServer>> = {
  'hp-ml110-g3-pentium-d930': {
    description: 'HP ProLiant ML110 G3, 1× Pentium D930 3.0 GHz, 2 cores, 4 GB',
    specResult: 'power_ssj2008-20110127-00342',
    cloudsimClass: 'HpProLiantMl110G3PentiumD930',
    tableW: [105, 112, 118, 125, 131, 137, 147, 153, 157, 164, 169],
  },
  'hp-ml110-g4-xeon-3040': {
    description: 'HP ProLiant ML110 G4, 1× Xeon 3040 1.86 GHz, 2 cores, 4 GB',
    specResult: 'power_ssj2008-20110127-00342',
    cloudsimClass: 'HpProLiantMl110G4Xeon3040',
    tableW: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117],
  },
  'hp-ml110-g5-xeon-3075': {
    description: 'HP ProLiant ML110 G5, 1× Xeon 3075 2.66 GHz, 2 cores, 4 GB',
    specResult: 'power_ssj2008-20110124-00339',
    cloudsimClass: 'HpProLiantMl110G5Xeon3075',
    tableW: [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135],
  },
  'ibm-x3250-xeon-x3470': {
    description: 'IBM System x3250, 1× Xeon X3470 2.933 GHz, 4 cores, 8 GB',
    specResult: 'power_ssj2008-20091104-00213',
    cloudsimClass: 'IbmX3250XeonX3470',
    tableW: [41.6, 46.7, 52.3, 57.9, 65.4, 73, 80.7, 89.5, 99.6, 105, 113],
  },
  'ibm-x3250-xeon-x3480': {
    description: 'IBM System x3250, 1× Xeon X3480 3.067 GHz, 4 cores, 8 GB',
    specResult: 'power_ssj2008-20101001-00297',
    cloudsimClass: 'IbmX3250XeonX3480',
    tableW: [42.3, 46.7, 49.7, 55.4, 61.8, 69.3, 76.1, 87, 96.1, 106, 113],
  },
  'ibm-x3550-xeon-x5670': {
    description: 'IBM System x3550, 2× Xeon X5670 2.933 GHz, 6 cores each, 12 GB',
    specResult: 'power_ssj2008-20100315-00239',
    cloudsimClass: 'IbmX3550XeonX5670',
    tableW: [66, 107, 120, 131, 143, 156, 173, 191, 211, 229, 247],
  },
  'ibm-x3550-xeon-x5675': {
    description: 'IBM System x3550, 2× Xeon X5675 3.067 GHz, 6 cores each, 16 GB',
    specResult: 'power_ssj2008-20110406-00368',
    cloudsimClass: 'IbmX3550XeonX5675',
    tableW: [58.4, 98, 109, 118, 128, 140, 153, 170, 189, 205, 222],
  },
};
